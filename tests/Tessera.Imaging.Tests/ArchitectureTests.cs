using System.Reflection;
using Tessera.Core.Iiif;
using Tessera.Imaging.Pipeline;
using Tessera.Testing.Architecture;

namespace Tessera.Imaging.Tests;

/// <summary>
/// The dependency rule of DESIGN.md §2 for Tessera.Imaging: Core and Vips, no web framework; and no <c>unsafe</c> code
/// or unchecked memory access in Core and Imaging (that lives in <c>Tessera.Vips/Interop</c>), but for two pixel kernels'.
/// </summary>
public sealed class ArchitectureTests
{
    /// <summary>
    /// Source files outside <c>Tessera.Vips/Interop</c> allowed unchecked memory access, each on purpose. The reducer:
    /// its SIMD passes read and write whole vectors in place (Vector128/256.LoadUnsafe, StoreUnsafe, Unsafe.Add and
    /// WriteUnaligned on MemoryMarshal.GetReference), because a bounds check per vector load cost more than the
    /// arithmetic; the bounds are checked once per call instead (BandedReduction.Feed and Reducer.Require check the
    /// buffers' sizes, and each pass checks that its rows and columns lie inside them before its loops). The colour
    /// transform of matrix/TRC profiles (MatrixShaper.Transform): three table lookups, a vector sum and three encodings
    /// a pixel, where bounds checks were a large part of the work; it checks the buffers' lengths once, its tables are
    /// indexed by a byte (256 entries each) and by an index clipped to the table (0.85× the CPU of a converted tile).
    /// </summary>
    private static readonly string[] UncheckedOnPurpose = ["src/Tessera.Imaging/Rendering/Reducer.cs", "src/Tessera.Imaging/Colour/MatrixShaper.cs"];

    private static readonly Assembly[] Assemblies = [typeof(ImageRequest).Assembly, typeof(ImagePipeline).Assembly];

    [Fact]
    public void Imaging_depends_on_core_and_vips_only()
    {
        var references = typeof(ImagePipeline).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Equal(["Tessera.Core", "Tessera.Vips"], references.Where(n => n.StartsWith("Tessera", StringComparison.Ordinal)).Order());
        Assert.DoesNotContain(references, n => n.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [Fact]
    public void Core_and_imaging_are_compiled_without_unsafe_code()
    {
        Assert.All(Assemblies, a => Assert.False(UncheckedMemoryAccess.AllowsUnsafeCode(a), $"{a.GetName().Name} allows unsafe code"));
    }

    [Fact]
    public void Unchecked_memory_access_outside_the_binding_is_the_listed_pixel_kernels_alone()
    {
        var uses = Assemblies.SelectMany(UncheckedMemoryAccess.Find).ToList();

        var offenders = uses.Where(u => !UncheckedOnPurpose.Any(f => UncheckedMemoryAccess.IsIn(u.File, f))).Select(u => u.ToString()).ToList();
        Assert.True(offenders.Count == 0, "Unchecked memory access outside Tessera.Vips/Interop:\n" + string.Join("\n", offenders));
        // Each exception is still needed: one that no longer is comes off the list.
        Assert.All(UncheckedOnPurpose, f => Assert.Contains(uses, u => UncheckedMemoryAccess.IsIn(u.File, f)));
    }

    [Fact]
    public void Imaging_project_file_references_core_and_vips_and_no_web_framework()
    {
        DependencyRule.AssertDependsOnlyOn("Tessera.Imaging", typeof(ImagePipeline).Assembly, "Tessera.Core", "Tessera.Vips");
        Assert.DoesNotContain(DependencyRule.PackageAndFrameworkReferences("Tessera.Imaging"), n => n.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }
}
