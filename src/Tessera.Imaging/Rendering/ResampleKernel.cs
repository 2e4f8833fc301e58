namespace Tessera.Imaging.Rendering;

/// <summary>
/// The resampling kernel of reductions and enlargements: the kernels libvips' <c>resize</c> offers, which the managed
/// <see cref="Reducer"/> computes too (all but <see cref="Nearest"/>), so both paths give the same picture. Settings and
/// flags name them in lower case (<c>lanczos3</c>); <see cref="ResampleKernels"/> parses and names them.
/// </summary>
public enum ResampleKernel
{
    /// <summary>Nearest neighbour: no smoothing, blocky.</summary>
    Nearest,

    /// <summary>Bilinear (triangle, support 1).</summary>
    Linear,

    /// <summary>Catmull-Rom cubic (B = 0, C = 0.5, support 2).</summary>
    Cubic,

    /// <summary>Mitchell-Netravali cubic (B = C = 1/3, support 2).</summary>
    Mitchell,

    /// <summary>Lanczos with two lobes.</summary>
    Lanczos2,

    /// <summary>Lanczos with three lobes: the sharpest, and the default.</summary>
    Lanczos3,
}
