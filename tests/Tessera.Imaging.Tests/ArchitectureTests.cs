using Tessera.Imaging.Pipeline;
using Tessera.Testing.Architecture;

namespace Tessera.Imaging.Tests;

/// <summary>The dependency rule of DESIGN.md §2 for Tessera.Imaging: Core and Vips, no web framework.</summary>
public sealed class ArchitectureTests
{
    [Fact]
    public void Imaging_depends_on_core_and_vips_only()
    {
        var references = typeof(ImagePipeline).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Equal(["Tessera.Core", "Tessera.Vips"], references.Where(n => n.StartsWith("Tessera", StringComparison.Ordinal)).Order());
        Assert.DoesNotContain(references, n => n.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [Fact]
    public void Imaging_project_file_references_core_and_vips_and_no_web_framework()
    {
        DependencyRule.AssertDependsOnlyOn("Tessera.Imaging", typeof(ImagePipeline).Assembly, "Tessera.Core", "Tessera.Vips");
        Assert.DoesNotContain(DependencyRule.PackageAndFrameworkReferences("Tessera.Imaging"), n => n.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }
}
