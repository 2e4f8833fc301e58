namespace Tessera.Imaging.Pipeline;

/// <summary>
/// Gives memory back while a server is busy, every <c>interval</c> when there was work since the last time: a full
/// garbage collection when at least 16 MB was allocated since (derivatives are large-object-heap arrays; evicted from the
/// memory cache, or read from the disk cache and sent, they otherwise wait for a rare full collection: the cached
/// benchmark server stood at 480 MB), then the C heap's free memory (libvips' buffers, see
/// <see cref="ImagingRuntime.TrimNativeHeap"/>) at most every 2 s after renders. Both take milliseconds.
/// </summary>
public sealed class MemoryReleaser : IDisposable
{
    private const long ManagedThreshold = 16L << 20;

    private const long TrimInterval = 2000;

    private readonly ImagePipeline _pipeline;
    private readonly Timer _timer;
    private long _allocated = GC.GetTotalAllocatedBytes();
    private long _renders;
    private int _running;
    private long _lastTrim;

    public MemoryReleaser(ImagePipeline pipeline, TimeSpan interval)
    {
        _pipeline = pipeline;
        _renders = pipeline.RenderCount;
        _timer = new Timer(_ => Release(), null, interval, interval);
    }

    /// <summary>Full collections made so far.</summary>
    public int Collections { get; private set; }

    /// <summary>C heap trims made so far.</summary>
    public int Trims { get; private set; }

    /// <summary>One round: what the timer runs (public so tests need not wait for it).</summary>
    public void Release()
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            return;
        }

        try
        {
            var allocated = GC.GetTotalAllocatedBytes();
            if (allocated - _allocated >= ManagedThreshold)
            {
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
                Collections++;
            }

            _allocated = allocated;
            // Trimming makes the next allocations fault their pages in again: not more often than every 2 s.
            var renders = _pipeline.RenderCount;
            if (renders != _renders && Environment.TickCount64 - _lastTrim >= TrimInterval)
            {
                _ = ImagingRuntime.TrimNativeHeap();
                _lastTrim = Environment.TickCount64;
                _renders = renders;
                Trims++;
            }
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    public void Dispose() => _timer.Dispose();
}
