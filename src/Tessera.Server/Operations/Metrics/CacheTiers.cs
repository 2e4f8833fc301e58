using Tessera.Imaging.Caching;

namespace Tessera.Server.Operations.Metrics;

/// <summary>The derivative caches of a pipeline by tier, whichever way they were put together (one, the other, or both).</summary>
public sealed record CacheTiers(MemoryDerivativeCache? Memory, DiskDerivativeCache? Disk)
{
    public static CacheTiers Of(IDerivativeCache? cache) => cache switch
    {
        MemoryDerivativeCache memory => new CacheTiers(memory, null),
        DiskDerivativeCache disk => new CacheTiers(null, disk),
        TieredDerivativeCache tiered => new CacheTiers(tiered.Tiers.OfType<MemoryDerivativeCache>().FirstOrDefault(), tiered.Tiers.OfType<DiskDerivativeCache>().FirstOrDefault()),
        _ => new CacheTiers(null, null),
    };
}
