using Tessera.Vips.Interop;

namespace Tessera.Vips;

/// <summary>
/// Process-wide libvips state: initialisation (once, about 60 ms), the operation cache (off: Tessera keeps its own,
/// bounded cache of opened sources, and libvips' global cache keeps files open and never sees a replaced file),
/// threading and the untrusted-loader block.
/// </summary>
public static class VipsRuntime
{
    private static readonly Lock InitLock = new();
    private static readonly Lock ErrorLock = new();
    private static volatile bool s_initialised;

    /// <summary>Starts libvips once. Safe to call from any thread, any number of times.</summary>
    /// <exception cref="VipsException">libvips is not installed or failed to start.</exception>
    public static void Initialize()
    {
        if (s_initialised)
        {
            return;
        }

        lock (InitLock)
        {
            if (s_initialised)
            {
                return;
            }

            int rc;
            try
            {
                rc = NativeRuntime.Init("tessera");
            }
            catch (DllNotFoundException e)
            {
                throw new VipsException(
                    "libvips 8.14 (libvips.so.42) was not found. On Debian: apt-get install -y libvips42", e);
            }

            if (rc != 0)
            {
                throw new VipsException("vips_init failed", TakeError());
            }

            VipsNative.vips_cache_set_max(0);
            s_initialised = true;
        }
    }

    /// <summary>The libvips version, for example <c>8.14.1</c>.</summary>
    public static string Version
    {
        get
        {
            Initialize();
            return $"{VipsNative.vips_version(0)}.{VipsNative.vips_version(1)}.{VipsNative.vips_version(2)}";
        }
    }

    /// <summary>
    /// Worker threads libvips uses inside one operation. A server that already runs one request per core wants 1;
    /// a batch converter of a single huge image wants every core.
    /// </summary>
    public static int Concurrency
    {
        get
        {
            Initialize();
            return VipsNative.vips_concurrency_get();
        }

        set
        {
            Initialize();
            VipsNative.vips_concurrency_set(Math.Max(1, value));
        }
    }

    /// <summary>Blocks loaders libvips marks untrusted (ImageMagick, PDF, SVG, FITS, MAT, ...). A server sets this.</summary>
    public static void BlockUntrustedLoaders(bool block = true)
    {
        Initialize();
        VipsNative.vips_block_untrusted_set(block ? 1 : 0);
    }

    /// <summary>
    /// Blocks or unblocks one operation and its subclasses by class name (e.g. <c>VipsForeignLoadJp2k</c>): how a
    /// server that blocks untrusted loaders lets back in the few it has decided to rely on.
    /// </summary>
    public static void SetBlocked(string operationClass, bool blocked)
    {
        Initialize();
        NativeRuntime.SetBlocked(operationClass, blocked);
    }

    /// <summary>Bytes of pixel memory libvips is tracking now.</summary>
    public static long TrackedMemory
    {
        get
        {
            Initialize();
            return (long)VipsNative.vips_tracked_get_mem();
        }
    }

    /// <summary>The highest <see cref="TrackedMemory"/> seen.</summary>
    public static long TrackedMemoryHighWater
    {
        get
        {
            Initialize();
            return (long)VipsNative.vips_tracked_get_mem_highwater();
        }
    }

    /// <summary>Files libvips holds open now.</summary>
    public static int TrackedFiles
    {
        get
        {
            Initialize();
            return VipsNative.vips_tracked_get_files();
        }
    }

    /// <summary>Live libvips allocations now.</summary>
    public static int TrackedAllocations
    {
        get
        {
            Initialize();
            return VipsNative.vips_tracked_get_allocs();
        }
    }

    /// <summary>Turns on libvips' leak reporting (printed at shutdown).</summary>
    private static int _trimUnavailable;

    /// <summary>
    /// Returns the C heap's free memory to the system (glibc's malloc_trim). libvips and its codecs allocate pixel
    /// buffers from many threads; freed ones otherwise stay resident in glibc's arenas (about a quarter of the
    /// server's memory under load). A no-op where the C library has no such call.
    /// </summary>
    /// <returns>Whether any memory was given back.</returns>
    public static bool TrimNativeHeap()
    {
        if (!OperatingSystem.IsLinux() || Volatile.Read(ref _trimUnavailable) != 0)
        {
            return false;
        }

        try
        {
            return LibC.malloc_trim(0) == 1;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            // musl and other C libraries: nothing to trim with.
            Volatile.Write(ref _trimUnavailable, 1);
            return false;
        }
    }

    public static void ReportLeaks(bool on = true)
    {
        Initialize();
        VipsNative.vips_leak_set(on ? 1 : 0);
    }

    /// <summary>
    /// Reads and clears libvips' error buffer. The buffer is process-wide, so concurrent failures can mix their texts;
    /// the lock at least keeps one reader from clearing another's message half-read.
    /// </summary>
    internal static string TakeError()
    {
        lock (ErrorLock)
        {
            var text = Utf8.FromNative(VipsNative.vips_error_buffer()) ?? string.Empty;
            VipsNative.vips_error_clear();
            return text;
        }
    }
}
