using System.Runtime.InteropServices;

namespace Tessera.Vips.Interop;

/// <summary>
/// The few entry points of LittleCMS 2.14 (Debian's <c>liblcms2-2</c>, the colour engine libvips links) that
/// <see cref="ColourTransform"/> needs: open a profile from memory, make sRGB, build a transform, run it on rows. Every
/// call takes the private context of <see cref="LcmsTransforms"/> (the THR variants), so LittleCMS' error messages come
/// to us and not to the handler libvips installs on the global context (which writes them into libvips' error buffer).
/// </summary>
internal static unsafe partial class LcmsNative
{
    // Pixel formats, as lcms2.h builds them: COLORSPACE_SH (<< 16), FLAVOR_SH (<< 13), EXTRA_SH (<< 7),
    // CHANNELS_SH (<< 3), BYTES_SH (<< 0); PT_GRAY 3, PT_RGB 4, PT_CMYK 6.

    /// <summary>TYPE_GRAY_8.</summary>
    public const uint TypeGray8 = (3u << 16) | (1u << 3) | 1u;

    /// <summary>TYPE_GRAYA_8: grey and one extra (alpha) channel.</summary>
    public const uint TypeGrayA8 = (3u << 16) | (1u << 7) | (1u << 3) | 1u;

    /// <summary>TYPE_RGB_8.</summary>
    public const uint TypeRgb8 = (4u << 16) | (3u << 3) | 1u;

    /// <summary>TYPE_RGBA_8: RGB and one extra (alpha) channel.</summary>
    public const uint TypeRgba8 = (4u << 16) | (1u << 7) | (3u << 3) | 1u;

    /// <summary>TYPE_CMYK_8: 0 is no ink.</summary>
    public const uint TypeCmyk8 = (6u << 16) | (4u << 3) | 1u;

    /// <summary>TYPE_CMYK_8_REV: the "reversed flavour", 0 is full ink (Adobe's inverted CMYK JPEGs, as a decoder gives them).</summary>
    public const uint TypeCmyk8Reversed = TypeCmyk8 | (1u << 13);

    /// <summary>INTENT_RELATIVE_COLORIMETRIC, the intent Tessera's renderer asks libvips for.</summary>
    public const uint IntentRelativeColorimetric = 1;

    /// <summary>
    /// cmsFLAGS_NOCACHE: no one-pixel cache. A cached transform (CachedXFORM in src/cmsxform.c of mm2/Little-CMS) keeps
    /// the last input and output pixel in the transform itself and rewrites them on every pixel, so two threads on one
    /// transform race; without the cache (PrecalculatedXFORM and the optimised 8-bit routines) the per-pixel state is
    /// on the stack and a transform is read-only after it is built, which is what lets many requests share one. libvips
    /// 8.14 sets the same flag for the same reason (libvips/colour/icc_transform.c, vips_icc_build).
    /// </summary>
    public const uint FlagNoCache = 0x0040;

    /// <summary>cmsFLAGS_COPY_ALPHA: copy extra channels (alpha) from input to output unchanged.</summary>
    public const uint FlagCopyAlpha = 0x04000000;

    /// <summary>cmsSigRgbData ('RGB ').</summary>
    public const uint SignatureRgb = 0x52474220;

    /// <summary>cmsSigGrayData ('GRAY').</summary>
    public const uint SignatureGray = 0x47524159;

    /// <summary>cmsSigCmykData ('CMYK').</summary>
    public const uint SignatureCmyk = 0x434D594B;

    [LibraryImport(Libraries.Lcms)]
    public static partial nint cmsCreateContext(nint plugin, nint userData);

    [LibraryImport(Libraries.Lcms)]
    public static partial void cmsSetLogErrorHandlerTHR(nint context, delegate* unmanaged<nint, uint, byte*, void> handler);

    [LibraryImport(Libraries.Lcms)]
    public static partial nint cmsOpenProfileFromMemTHR(nint context, void* memory, uint size);

    [LibraryImport(Libraries.Lcms)]
    public static partial nint cmsCreate_sRGBProfileTHR(nint context);

    /// <summary>Returns a cmsBool (non-zero on success).</summary>
    [LibraryImport(Libraries.Lcms)]
    public static partial int cmsCloseProfile(nint profile);

    [LibraryImport(Libraries.Lcms)]
    public static partial uint cmsGetColorSpace(nint profile);

    /// <summary>LCMS_USED_AS_INPUT, for <see cref="cmsIsIntentSupported"/>.</summary>
    public const uint UsedAsInput = 0;

    /// <summary>Whether the profile has the tables (or a matrix) for the intent in that direction; a cmsBool.</summary>
    [LibraryImport(Libraries.Lcms)]
    public static partial int cmsIsIntentSupported(nint profile, uint intent, uint usedDirection);

    [LibraryImport(Libraries.Lcms)]
    public static partial nint cmsCreateTransformTHR(nint context, nint input, uint inputFormat, nint output, uint outputFormat, uint intent, uint flags);

    [LibraryImport(Libraries.Lcms)]
    public static partial void cmsDeleteTransform(nint transform);

    /// <summary>
    /// Transforms <paramref name="lineCount"/> rows of <paramref name="pixelsPerLine"/> pixels, rows the given bytes apart
    /// (the plane sizes matter only for planar formats). Since LittleCMS 2.8.
    /// </summary>
    [LibraryImport(Libraries.Lcms)]
    public static partial void cmsDoTransformLineStride(
        nint transform, void* input, void* output, uint pixelsPerLine, uint lineCount, uint bytesPerLineIn, uint bytesPerLineOut, uint bytesPerPlaneIn, uint bytesPerPlaneOut);
}
