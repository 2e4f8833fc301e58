using Tessera.Vips;

namespace Tessera.Imaging.Caching;

/// <summary>
/// Opened random-access images (pyramid TIFF levels, JPEG 2000 reductions) kept open between requests, bounded in
/// count and keyed by path, file version and level, so a file replaced on disk is opened anew. libvips' own
/// operation cache is off: it is global, keeps files open and never notices a replaced file.
/// </summary>
public sealed class OpenImageCache(int capacity = 256)
{
    private readonly Lock _lock = new();
    private readonly LruCache<string, VipsImage> _images = new(capacity, evicted: (_, image) => image.Dispose());

    public int Count => _images.Count;

    /// <summary>
    /// A lease on the image for <paramref name="key"/>: the caller owns (and disposes) the returned reference; the
    /// cache keeps its own, so eviction never pulls an image from under a request that is using it.
    /// </summary>
    public VipsImage Lease(string key, Func<VipsImage> open)
    {
        lock (_lock)
        {
            if (_images.TryGet(key, out var cached))
            {
                return cached.Share();
            }
        }

        var opened = open();
        lock (_lock)
        {
            if (_images.TryGet(key, out var raced))
            {
                opened.Dispose();
                return raced.Share();
            }

            var lease = opened.Share();
            _images.Set(key, opened);
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
}
