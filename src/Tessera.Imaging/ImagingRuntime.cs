using Tessera.Vips;

namespace Tessera.Imaging;

/// <summary>
/// Starts libvips the one way every Tessera process wants it: once, its own operation cache off (Tessera keeps
/// bounded caches of its own), the untrusted loaders blocked (ImageMagick, SVG, FITS, MAT, ...) but JPEG 2000, PDF,
/// JPEG XL and OpenSlide let back in on purpose (libvips 8.14 counts them untrusted, yet they are master formats of the
/// archives Tessera serves: see <see cref="LetIn"/>), and a chosen number of libvips worker threads per operation.
/// </summary>
public static class ImagingRuntime
{
    /// <param name="threadsPerOperation">
    /// libvips' threads inside one operation: 1 where requests or batch items already run one per core (the server,
    /// seed, process), more where one large image is worked at a time.
    /// </param>
    /// <exception cref="VipsException">libvips is not installed or failed to start.</exception>
    public static void Start(int threadsPerOperation = 1)
    {
        VipsRuntime.Initialize();
        VipsRuntime.BlockUntrustedLoaders();
        VipsRuntime.SetBlocked("VipsForeignLoadJp2k", blocked: false);
        foreach (var trusted in LetIn)
        {
            VipsRuntime.SetBlocked(trusted, blocked: false);
        }
        VipsRuntime.Concurrency = threadsPerOperation;
    }

    /// <summary>
    /// The other untrusted operations let back in, each on purpose and each behind the header limits, the render time
    /// limit and <see cref="Sources.LoaderChoice"/> (which alone decides which loader reads a file): poppler for PDF pages
    /// (archives digitise to PDF), libjxl both ways (a master format), OpenSlide for whole-slide scans. SVG, ImageMagick,
    /// FITS, MAT and the rest stay blocked.
    /// </summary>
    public static IReadOnlyList<string> LetIn { get; } =
        ["VipsForeignLoadPdf", "VipsForeignLoadJxl", "VipsForeignSaveJxl", "VipsForeignLoadOpenslide"];

    /// <summary>
    /// Why libvips cannot work now, or null when it can: a 1×1 black image made and averaged (a few dozen µs), for
    /// readiness probes.
    /// </summary>
    public static string? Problem()
    {
        try
        {
            using var image = VipsOperation.Image("black", ("width", 1), ("height", 1));
            var mean = (double)VipsOperation.Run("avg", [("in", image)], ["out"])[0]!;
            return mean == 0 ? null : $"Expected 0 for the mean of a black 1x1 image but libvips said {mean}";
        }
        catch (VipsException e)
        {
            return e.Message;
        }
    }

    /// <summary>Bytes of pixel memory libvips tracks now (its own buffers; the C heap beyond is not counted).</summary>
    public static long VipsTrackedMemory => VipsRuntime.TrackedMemory;

    /// <summary>Files libvips holds open now.</summary>
    public static int VipsTrackedFiles => VipsRuntime.TrackedFiles;

    /// <summary>Gives the C heap's free memory back to the system (see <see cref="VipsRuntime.TrimNativeHeap"/>).</summary>
    public static bool TrimNativeHeap() => VipsRuntime.TrimNativeHeap();
}
