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

    /// <summary>Scopes open now, on any thread (<see cref="VipsErrorScope"/>).</summary>
    private static readonly List<VipsErrorScope> OpenScopes = [];

    /// <summary>
    /// Lines moved out of libvips' buffer that no failure has claimed yet, oldest first, each with the scopes open when
    /// it was moved: only one of those can have written it.
    /// </summary>
    private static readonly List<(string Line, string Family, long Taken, VipsErrorScope[] Candidates)> Unclaimed = [];

    /// <summary>Unclaimed lines older than this are dropped: their owner has long given up or succeeded.</summary>
    private static readonly long UnclaimedLifetime = 5 * System.Diagnostics.Stopwatch.Frequency;

    private const int MaxUnclaimed = 256;

    internal static void Register(VipsErrorScope scope)
    {
        lock (ErrorLock)
        {
            OpenScopes.Add(scope);
        }
    }

    internal static void Unregister(VipsErrorScope scope)
    {
        lock (ErrorLock)
        {
            OpenScopes.Remove(scope);
        }
    }

    /// <summary>
    /// The native error text of the call that just failed on this thread. libvips' error buffer is process-wide (see
    /// <see cref="VipsErrorScope"/>): under one lock its lines are moved into a journal, each with the scopes open at
    /// that moment (a line is always moved before the scope that wrote it closes, since a failing call takes its text
    /// before it returns), and the caller gets the lines it can prove are its own, in the order libvips wrote them.
    /// A thread with no scope gets only lines moved while no scope was open.
    /// </summary>
    internal static string TakeError()
    {
        var scope = VipsErrorScope.Current;
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        lock (ErrorLock)
        {
            var text = Utf8.FromNative(VipsNative.vips_error_buffer()) ?? string.Empty;
            VipsNative.vips_error_clear();
            Unclaimed.RemoveAll(u => now - u.Taken > UnclaimedLifetime);
            VipsErrorScope[]? open = null;
            foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                open ??= [.. OpenScopes];
                Unclaimed.Add((line, VipsErrorScope.FamilyOfLine(line), now, open));
            }

            if (Unclaimed.Count > MaxUnclaimed)
            {
                Unclaimed.RemoveRange(0, Unclaimed.Count - MaxUnclaimed);
            }

            var mine = new List<string>();
            for (var i = 0; i < Unclaimed.Count; i++)
            {
                var (line, family, _, candidates) = Unclaimed[i];
                if (Belongs(line, family, candidates, scope))
                {
                    mine.Add(line);

                    // Another request for the same file, still open, may need the same words (the file's fault, not the request's).
                    if (scope is null || !candidates.Any(c => c != scope && Twins(c, scope) && OpenScopes.Contains(c)))
                    {
                        Unclaimed.RemoveAt(i--);
                    }
                }
            }

            return string.Join('\n', mine);
        }
    }

    /// <summary>
    /// Whether a line moved while <paramref name="candidates"/> were open is provably <paramref name="scope"/>'s: it
    /// names the scope's file; or the scope was open then, the line names no other candidate's file, and of all the
    /// candidates only this scope's loader family can have written it (a candidate whose family is not known, or a
    /// line whose family is not known, fits every one; a candidate reading the same file with the same loader is a
    /// twin, whose lines are equally true of this file). A candidate that has closed since still counts: it may have
    /// been the owner that declined the line as ambiguous.
    /// </summary>
    private static bool Belongs(string line, string family, VipsErrorScope[] candidates, VipsErrorScope? scope)
    {
        if (scope is null)
        {
            return candidates.Length == 0;
        }

        if (Names(line, scope))
        {
            return true;
        }

        if (Array.IndexOf(candidates, scope) < 0 || !Fits(scope, family))
        {
            return false;
        }

        foreach (var other in candidates)
        {
            if (other != scope && !Twins(other, scope) && (Names(line, other) || Fits(other, family)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Scopes reading the same file with the same loader: a line either wrote is true of the file for both.</summary>
    private static bool Twins(VipsErrorScope a, VipsErrorScope b) =>
        string.Equals(a.File, b.File, StringComparison.Ordinal) && a.Family == b.Family;

    private static bool Fits(VipsErrorScope scope, string family) => family.Length == 0 || scope.Family.Length == 0 || scope.Family == family;

    private static bool Names(string line, VipsErrorScope scope) =>
        line.Contains(scope.File, StringComparison.Ordinal) || (scope.FileName.Length > 0 && line.Contains($"\"{scope.FileName}\"", StringComparison.Ordinal));
}
