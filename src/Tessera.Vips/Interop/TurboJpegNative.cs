using System.Runtime.InteropServices;

namespace Tessera.Vips.Interop;

/// <summary>
/// The TurboJPEG API of Debian's libjpeg-turbo 2.1 (package <c>libturbojpeg0</c>): the same codec libvips uses for
/// JPEG, called directly. Unlike libjpeg's own API it reports errors by return value (it catches libjpeg's
/// longjmp itself), which is what makes it safe to call from managed code.
/// </summary>
internal static unsafe partial class TurboJpegNative
{
    public const string Library = "libturbojpeg.so.0";

    /// <summary>TJPF_RGB: 3 bytes a pixel, R G B.</summary>
    public const int PixelRgb = 0;

    /// <summary>TJPF_GRAY: 1 byte a pixel.</summary>
    public const int PixelGray = 6;

    /// <summary>TJSAMP_420: chroma halved both ways.</summary>
    public const int Subsample420 = 2;

    /// <summary>TJSAMP_GRAY: luminance only.</summary>
    public const int SubsampleGray = 3;

    /// <summary>TJFLAG_NOREALLOC: write into the caller's buffer, never allocate another.</summary>
    public const int FlagNoRealloc = 1024;

    /// <summary>
    /// TJFLAG_ACCURATEDCT: the accurate integer DCT, libjpeg's own default and what libvips uses. TurboJPEG's default
    /// is the fast one, which is less exact (and, with libjpeg-turbo's AVX2 code, no faster here).
    /// </summary>
    public const int FlagAccurateDct = 4096;

    /// <summary>TJFLAG_STOPONWARNING: a damaged stream ends the call at the first warning.</summary>
    public const int FlagStopOnWarning = 8192;

    /// <summary>TJFLAG_LIMITSCANS: refuse progressive streams of more than 500 scans (a known denial of service).</summary>
    public const int FlagLimitScans = 32768;

    [LibraryImport(Library)]
    public static partial nint tjInitDecompress();

    [LibraryImport(Library)]
    public static partial nint tjInitCompress();

    [LibraryImport(Library)]
    public static partial int tjDestroy(nint handle);

    [LibraryImport(Library)]
    public static partial int tjDecompressHeader3(TurboJpegHandle handle, byte* jpeg, nuint size, int* width, int* height, int* subsampling, int* colorspace);

    [LibraryImport(Library)]
    public static partial int tjDecompress2(TurboJpegHandle handle, byte* jpeg, nuint size, byte* destination, int width, int pitch, int height, int pixelFormat, int flags);

    [LibraryImport(Library)]
    public static partial int tjCompress2(TurboJpegHandle handle, byte* source, int width, int pitch, int height, int pixelFormat, byte** jpeg, nuint* size, int subsampling, int quality, int flags);

    [LibraryImport(Library)]
    public static partial nuint tjBufSize(int width, int height, int subsampling);

    [LibraryImport(Library)]
    public static partial byte* tjGetErrorStr2(TurboJpegHandle handle);

    /// <summary>TJERR_WARNING (0): the last error was a warning (raised as an error under TJFLAG_STOPONWARNING); TJERR_FATAL (1) otherwise.</summary>
    [LibraryImport(Library)]
    public static partial int tjGetErrorCode(TurboJpegHandle handle);

    public const int ErrorWarning = 0;

    public static string Error(TurboJpegHandle handle) => Marshal.PtrToStringUTF8((nint)tjGetErrorStr2(handle)) ?? "unknown TurboJPEG error";
}
