using Tessera.Core.Iiif;
using Tessera.Testing.Architecture;

namespace Tessera.Core.Tests;

public class ArchitectureTests
{
    [Fact]
    public void Core_references_nothing_but_the_base_class_library()
    {
        var references = typeof(ImageRequestParser).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.All(references, name => Assert.True(name.StartsWith("System", StringComparison.Ordinal) || name == "netstandard", name));
    }

    [Fact]
    public void Core_project_file_references_no_project_package_or_framework()
    {
        DependencyRule.AssertBaseClassLibraryOnly("Tessera.Core", typeof(ImageRequestParser).Assembly);
    }
}
