namespace Tessera.Imaging.Caching;

/// <summary>Which derivative cache answered: operators size each tier by its own hit rate.</summary>
public enum CacheTier
{
    /// <summary><see cref="MemoryDerivativeCache"/>.</summary>
    Memory,

    /// <summary><see cref="DiskDerivativeCache"/>.</summary>
    Disk,
}
