using Tessera.Testing;
using Tessera.Testing.Architecture;
using Tessera.Vips;

namespace Tessera.Vips.Tests;

/// <summary>The binding's house rules (DESIGN.md §3): BCL only, and <c>unsafe</c> only under <c>Interop/</c>.</summary>
public sealed class ArchitectureTests
{
    [Fact]
    public void The_binding_references_nothing_but_the_base_class_library()
    {
        var references = typeof(VipsImage).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.All(references, name => Assert.True(name.StartsWith("System", StringComparison.Ordinal) || name == "netstandard", name));
    }

    [Fact]
    public void Unsafe_code_lives_only_under_Interop()
    {
        var folder = Repository.PathOf("src", "Tessera.Vips");
        var offenders = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => !Path.GetRelativePath(folder, f).StartsWith("Interop" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f).Contains("unsafe", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(folder, f))
            .ToList();

        Assert.Empty(offenders);
    }

    [Fact]
    public void The_binding_project_file_references_no_project_package_or_framework()
    {
        DependencyRule.AssertBaseClassLibraryOnly("Tessera.Vips", typeof(VipsImage).Assembly);
    }
}
