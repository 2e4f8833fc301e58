using Tessera.Testing;
using Tessera.Testing.Architecture;
using Tessera.Vips;

namespace Tessera.Vips.Tests;

/// <summary>The binding's house rules (DESIGN.md §3): BCL only, and <c>unsafe</c> code and unchecked memory access only under <c>Interop/</c>.</summary>
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
    public void Unchecked_memory_access_lives_only_under_Interop()
    {
        var outside = UncheckedMemoryAccess.Find(typeof(VipsImage).Assembly)
            .Where(u => !UncheckedMemoryAccess.IsIn(u.File, "src/Tessera.Vips/Interop/"))
            .Select(u => u.ToString())
            .ToList();

        Assert.True(outside.Count == 0, "Unchecked memory access outside Interop/:\n" + string.Join("\n", outside));
    }

    [Fact]
    public void The_scan_sees_the_unchecked_access_Interop_does()
    {
        // The scan must see what is there, or the rule above passes on nothing: NativeBuffer allocates with NativeMemory.
        var uses = UncheckedMemoryAccess.Find(typeof(VipsImage).Assembly);

        Assert.Contains(uses, u => u.Member == "System.Runtime.InteropServices.NativeMemory.Alloc" && UncheckedMemoryAccess.IsIn(u.File, "src/Tessera.Vips/Interop/NativeBuffer.cs"));
    }

    [Fact]
    public void The_binding_project_file_references_no_project_package_or_framework()
    {
        DependencyRule.AssertBaseClassLibraryOnly("Tessera.Vips", typeof(VipsImage).Assembly);
    }
}
