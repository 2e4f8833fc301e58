using Tessera.Server.Hosting;
using Tessera.Testing.Architecture;

namespace Tessera.Server.Tests;

/// <summary>
/// The dependency rule of DESIGN.md §2 for Tessera.Server: Core and Imaging, never the binding; and no <c>unsafe</c>
/// code or unchecked memory access (that lives in <c>Tessera.Vips/Interop</c>).
/// </summary>
public sealed class ArchitectureTests
{
    [Fact]
    public void The_server_depends_on_core_and_imaging_only()
    {
        var references = typeof(TesseraServer).Assembly.GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith("Tessera", StringComparison.Ordinal)).Order().ToList();

        Assert.Equal(["Tessera.Core", "Tessera.Imaging"], references);
    }

    [Fact]
    public void The_server_has_no_unsafe_code_nor_unchecked_memory_access()
    {
        var assembly = typeof(TesseraServer).Assembly;
        var uses = UncheckedMemoryAccess.Find(assembly).Select(u => u.ToString()).ToList();

        Assert.False(UncheckedMemoryAccess.AllowsUnsafeCode(assembly), "Tessera.Server allows unsafe code");
        Assert.True(uses.Count == 0, "Unchecked memory access outside Tessera.Vips/Interop:\n" + string.Join("\n", uses));
    }

    [Fact]
    public void The_server_project_file_references_core_and_imaging_only()
    {
        DependencyRule.AssertDependsOnlyOn("Tessera.Server", typeof(TesseraServer).Assembly, "Tessera.Core", "Tessera.Imaging");
    }
}
