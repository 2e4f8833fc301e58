using Tessera.Imaging.Rendering;

namespace Tessera.Imaging.Caching;

/// <summary>Derivatives in memory, least recently used first out, bounded in bytes.</summary>
public sealed class MemoryDerivativeCache(long capacityBytes) : IDerivativeCache
{
    // Bookkeeping per entry (key, record, node) on top of the encoded bytes.
    private const int Overhead = 256;

    private readonly LruCache<string, RenderedImage> _entries = new(capacityBytes, image => image.Data.Length + Overhead);

    public long Bytes => _entries.Weight;

    public int Count => _entries.Count;

    public bool TryGet(string key, out RenderedImage image) => _entries.TryGet(key, out image);

    public void Set(string key, RenderedImage image) => _entries.Set(key, image);

    public int Purge(string identifier) => _entries.RemoveWhere(k => DerivativeKey.IdentifierOf(k) == identifier);
}
