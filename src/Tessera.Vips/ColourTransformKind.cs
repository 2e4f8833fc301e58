namespace Tessera.Vips;

/// <summary>
/// The 8-bit interleaved pixels a <see cref="ColourTransform"/> takes, and so what its input profile must describe. The
/// output is always 8-bit sRGB: three bytes a pixel, four when the input has alpha (copied unchanged).
/// </summary>
public enum ColourTransformKind
{
    /// <summary>R G B (an RGB profile) to sRGB R G B.</summary>
    Rgb,

    /// <summary>R G B A (an RGB profile) to sRGB R G B A, alpha copied.</summary>
    Rgba,

    /// <summary>
    /// Grey (a grey profile) to sRGB R G B: what libvips' <c>icc_transform</c> to sRGB gives for a grey image with an
    /// embedded profile, so the renderer's output keeps its three bands whichever engine made it.
    /// </summary>
    Grey,

    /// <summary>Grey and alpha (a grey profile) to sRGB R G B A, alpha copied.</summary>
    GreyAlpha,

    /// <summary>C M Y K with 0 for no ink (a CMYK profile), as libvips delivers CMYK, Adobe's inverted JPEGs included (its loader inverts them).</summary>
    Cmyk,

    /// <summary>
    /// C M Y K with 0 for full ink: the samples of a CMYK JPEG written by Adobe software (APP14 "Adobe" marker), as
    /// libjpeg or TurboJPEG decode them without libvips' inversion.
    /// </summary>
    CmykInverted,
}
