using Tessera.Imaging.Rendering;

namespace Tessera.Imaging.Caching;

/// <summary>
/// Caches in order, nearest first (memory, disk, the shared S3 tier): a hit in a farther tier fills the nearer ones, so
/// the next request for it is answered close by; a new derivative goes to every tier; a purge reaches every tier.
/// </summary>
public sealed class TieredDerivativeCache : IDerivativeCache
{
    private readonly IDerivativeCache[] _tiers;

    /// <param name="tiers">Nearest first; at least one.</param>
    public TieredDerivativeCache(params IDerivativeCache[] tiers)
    {
        ArgumentNullException.ThrowIfNull(tiers);
        if (tiers.Length == 0)
        {
            throw new ArgumentException("Expected one or more tiers for tiers but received none", nameof(tiers));
        }

        _tiers = tiers;
    }

    /// <summary>The tiers, nearest first.</summary>
    public IReadOnlyList<IDerivativeCache> Tiers => _tiers;

    public bool TryGet(string key, out RenderedImage image)
    {
        for (var i = 0; i < _tiers.Length; i++)
        {
            if (_tiers[i].TryGet(key, out image))
            {
                for (var nearer = 0; nearer < i; nearer++)
                {
                    _tiers[nearer].Set(key, image);
                }

                return true;
            }
        }

        image = null!;
        return false;
    }

    /// <summary>As <see cref="TryGet"/>, each tier asked through its own <see cref="IDerivativeCache.GetAsync"/> (the S3 tier without holding a thread).</summary>
    public async ValueTask<RenderedImage?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < _tiers.Length; i++)
        {
            if (await _tiers[i].GetAsync(key, cancellationToken).ConfigureAwait(false) is { } image)
            {
                for (var nearer = 0; nearer < i; nearer++)
                {
                    _tiers[nearer].Set(key, image);
                }

                return image;
            }
        }

        return null;
    }

    public void Set(string key, RenderedImage image)
    {
        foreach (var tier in _tiers)
        {
            tier.Set(key, image);
        }
    }

    public int Purge(string identifier) => _tiers.Sum(tier => tier.Purge(identifier));
}
