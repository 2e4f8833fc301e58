using System.Reflection;
using System.Xml.Linq;

namespace Tessera.Testing.Architecture;

/// <summary>
/// Checks the dependency rule of DESIGN.md §2 (which project may reference which) from both ends: the project file,
/// which is where a forbidden reference is added (the compiler leaves an unused one out of the assembly), and the
/// compiled assembly, which also catches types used through a transitive reference the project file never names.
/// </summary>
public static class DependencyRule
{
    private const string Prefix = "Tessera.";

    /// <summary>The names of the assemblies an assembly's metadata references, in order.</summary>
    public static IReadOnlyList<string> AssemblyReferences(Assembly assembly) =>
        [.. assembly.GetReferencedAssemblies().Select(a => a.Name!).Order(StringComparer.Ordinal)];

    /// <summary>The Tessera projects that <c>src/{project}/{project}.csproj</c> references, by name.</summary>
    public static IReadOnlyList<string> ProjectReferences(string project) => Items(project, "ProjectReference")
        .Select(path => Path.GetFileNameWithoutExtension(path.Replace('\\', '/')))
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>The NuGet packages and shared frameworks (e.g. <c>Microsoft.AspNetCore.App</c>) the project file references.</summary>
    public static IReadOnlyList<string> PackageAndFrameworkReferences(string project) =>
        [.. Items(project, "PackageReference").Concat(Items(project, "FrameworkReference")).Order(StringComparer.Ordinal)];

    /// <summary>
    /// Fails unless <paramref name="project"/> (the folder and project name under <c>src/</c>) and its compiled
    /// <paramref name="assembly"/> reference no Tessera project but those in <paramref name="mayDependOn"/>.
    /// </summary>
    public static void AssertDependsOnlyOn(string project, Assembly assembly, params string[] mayDependOn)
    {
        var allowed = mayDependOn.ToHashSet(StringComparer.Ordinal);
        var rule = mayDependOn.Length == 0 ? "no other project" : string.Join(", ", mayDependOn);

        var inProjectFile = ProjectReferences(project).Where(p => !allowed.Contains(p)).ToList();
        Assert.True(
            inProjectFile.Count == 0,
            $"Expected {project} to reference {rule} (DESIGN.md §2) but its project file references {string.Join(", ", inProjectFile)}");

        var inAssembly = AssemblyReferences(assembly).Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && !allowed.Contains(n)).ToList();
        Assert.True(
            inAssembly.Count == 0,
            $"Expected {project} to reference {rule} (DESIGN.md §2) but its assembly references {string.Join(", ", inAssembly)}");
    }

    /// <summary>
    /// Fails unless the project references nothing but the base class library: no project, package or framework
    /// reference in its file, and only <c>System.*</c> (or <c>netstandard</c>) assemblies in its metadata.
    /// </summary>
    public static void AssertBaseClassLibraryOnly(string project, Assembly assembly)
    {
        AssertDependsOnlyOn(project, assembly);

        var packages = PackageAndFrameworkReferences(project);
        Assert.True(
            packages.Count == 0,
            $"Expected {project} to reference nothing but the base class library (DESIGN.md §2) but its project file references {string.Join(", ", packages)}");

        var others = AssemblyReferences(assembly).Where(n => !n.StartsWith("System", StringComparison.Ordinal) && n != "netstandard").ToList();
        Assert.True(
            others.Count == 0,
            $"Expected {project} to reference nothing but the base class library (DESIGN.md §2) but its assembly references {string.Join(", ", others)}");
    }

    private static IEnumerable<string> Items(string project, string item)
    {
        var file = Repository.PathOf("src", project, project + ".csproj");
        Assert.True(File.Exists(file), $"Expected the project file {file} but it is not there");
        return XDocument.Load(file).Descendants(item)
            .Select(e => e.Attribute("Include")?.Value)
            .OfType<string>()
            .SelectMany(v => v.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
