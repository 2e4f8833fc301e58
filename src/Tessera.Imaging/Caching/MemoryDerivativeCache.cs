using Tessera.Imaging.Rendering;

namespace Tessera.Imaging.Caching;

/// <summary>
/// Derivatives in memory, least recently used first out, bounded in bytes. Counts its hits, misses and evictions
/// (plain interlocked counters, read by the server's metrics) so operators can size it.
/// </summary>
public sealed class MemoryDerivativeCache(long capacityBytes) : IDerivativeCache
{
    // Bookkeeping per entry (key, record, node) on top of the encoded bytes.
    private const int Overhead = 256;

    private readonly LruCache<string, RenderedImage> _entries = new(capacityBytes, image => image.Data.Length + Overhead);
    private long _hits;
    private long _misses;

    public long Bytes => _entries.Weight;

    public long CapacityBytes => _entries.Capacity;

    public int Count => _entries.Count;

    /// <summary>Lookups answered so far.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Lookups not answered so far.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Entries dropped for room so far (purges are not counted).</summary>
    public long Evictions => _entries.Evictions;

    public bool TryGet(string key, out RenderedImage image)
    {
        if (_entries.TryGet(key, out image))
        {
            Interlocked.Increment(ref _hits);
            return true;
        }

        Interlocked.Increment(ref _misses);
        return false;
    }

    // Marked with its tier once, when kept, so a hit costs no copy to say where it came from.
    public void Set(string key, RenderedImage image) => _entries.Set(key, image.Tier == CacheTier.Memory ? image : image with { Tier = CacheTier.Memory });

    public int Purge(string identifier) => _entries.RemoveWhere(k => DerivativeKey.IdentifierOf(k) == identifier);
}
