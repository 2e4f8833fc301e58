using Tessera.Vips;

namespace Tessera.Imaging.Caching;

/// <summary>
/// Opened images kept between requests: random-access pyramid TIFF levels and JPEG 2000 reductions (cheap: a file
/// handle and headers), and small pyramid levels fully decoded in memory, so thumbnails skip decoding altogether.
/// Bounded in bytes, keyed by path, file version and level, so a file replaced on disk is opened anew. libvips' own
/// operation cache is off: it is global, keeps files open and never notices a replaced file.
/// </summary>
public sealed class OpenImageCache(long capacityBytes = 128L * 1024 * 1024)
{
    /// <summary>What an image opened from a file is counted as: its handle, headers and libtiff buffers.</summary>
    public const long FileBackedBytes = 256 * 1024;

    private readonly Lock _lock = new();
    private readonly LruCache<string, Entry> _images = new(capacityBytes, e => e.Bytes, evicted: (_, e) => e.Image.Dispose());

    public int Count => _images.Count;

    public long Bytes => _images.Weight;

    /// <summary>
    /// A lease on the image for <paramref name="key"/>: the caller owns (and disposes) the returned reference; the
    /// cache keeps its own, so eviction never pulls an image from under a request that is using it.
    /// </summary>
    /// <param name="key">Path, file version and level.</param>
    /// <param name="open">Opens the image when it is not held.</param>
    /// <param name="bytes">What the opened image costs in memory, for the bound.</param>
    public VipsImage Lease(string key, Func<VipsImage> open, long bytes = FileBackedBytes)
    {
        lock (_lock)
        {
            if (_images.TryGet(key, out var cached))
            {
                return cached.Image.Share();
            }
        }

        var opened = open();
        lock (_lock)
        {
            if (_images.TryGet(key, out var raced))
            {
                opened.Dispose();
                return raced.Image.Share();
            }

            var lease = opened.Share();
            _images.Set(key, new Entry(opened, bytes));
            return lease;
        }
    }

    /// <summary>Closes every image of a path (a purge).</summary>
    public int Forget(string path)
    {
        lock (_lock)
        {
            return _images.RemoveWhere(k => k.StartsWith(path + "\n", StringComparison.Ordinal));
        }
    }

    private sealed record Entry(VipsImage Image, long Bytes);
}
