using Tessera.Cli.Commands;
using Tessera.Vips.Tests;

namespace Tessera.Cli.Tests;

/// <summary>No <c>unsafe</c> code or unchecked memory access in the command (that lives in <c>Tessera.Vips/Interop</c>, DESIGN.md §3).</summary>
public sealed class ArchitectureTests
{
    [Fact]
    public void The_command_has_no_unsafe_code_nor_unchecked_memory_access()
    {
        var assembly = typeof(TesseraCommand).Assembly;
        var uses = UncheckedMemoryAccess.Find(assembly).Select(u => u.ToString()).ToList();

        Assert.False(UncheckedMemoryAccess.AllowsUnsafeCode(assembly), "tessera allows unsafe code");
        Assert.True(uses.Count == 0, "Unchecked memory access outside Tessera.Vips/Interop:\n" + string.Join("\n", uses));
    }
}
