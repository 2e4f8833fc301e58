using Tessera.Imaging.Rendering;

namespace Tessera.Imaging.Caching;

/// <summary>Memory in front of disk: a disk hit is promoted to memory; a new derivative goes to both.</summary>
public sealed class TieredDerivativeCache(IDerivativeCache memory, IDerivativeCache disk) : IDerivativeCache
{
    /// <summary>The front tier.</summary>
    public IDerivativeCache Memory => memory;

    /// <summary>The back tier.</summary>
    public IDerivativeCache Disk => disk;

    public bool TryGet(string key, out RenderedImage image)
    {
        if (memory.TryGet(key, out image))
        {
            return true;
        }

        if (disk.TryGet(key, out image))
        {
            memory.Set(key, image);
            return true;
        }

        return false;
    }

    public void Set(string key, RenderedImage image)
    {
        memory.Set(key, image);
        disk.Set(key, image);
    }

    public int Purge(string identifier) => memory.Purge(identifier) + disk.Purge(identifier);
}
