using Tessera.Cli.Commands;
using Tessera.Testing.Architecture;

namespace Tessera.Cli.Tests;

/// <summary>
/// The dependency rule of DESIGN.md §2 for Tessera.Cli (Core, Imaging and Server; the binding only through them), and no
/// <c>unsafe</c> code or unchecked memory access in the command (that lives in <c>Tessera.Vips/Interop</c>, DESIGN.md §3).
/// </summary>
public sealed class ArchitectureTests
{
    [Fact]
    public void The_command_depends_on_core_imaging_and_server_only()
    {
        DependencyRule.AssertDependsOnlyOn("Tessera.Cli", typeof(TesseraCommand).Assembly, "Tessera.Core", "Tessera.Imaging", "Tessera.Server");
    }

    [Fact]
    public void The_command_has_no_unsafe_code_nor_unchecked_memory_access()
    {
        var assembly = typeof(TesseraCommand).Assembly;
        var uses = UncheckedMemoryAccess.Find(assembly).Select(u => u.ToString()).ToList();

        Assert.False(UncheckedMemoryAccess.AllowsUnsafeCode(assembly), "tessera allows unsafe code");
        Assert.True(uses.Count == 0, "Unchecked memory access outside Tessera.Vips/Interop:\n" + string.Join("\n", uses));
    }
}
