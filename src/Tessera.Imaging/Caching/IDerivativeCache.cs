using Tessera.Imaging.Rendering;

namespace Tessera.Imaging.Caching;

/// <summary>
/// Rendered images keyed by the canonical plan (plus identifier and source version). Implementations never throw
/// for their own failures: a broken cache is a miss, and the image is rendered again.
/// </summary>
public interface IDerivativeCache
{
    bool TryGet(string key, out RenderedImage image);

    /// <summary>
    /// As <see cref="TryGet"/>, for callers that can wait without holding a thread (the pipeline): null on a miss. A
    /// tier that asks another machine (the shared S3 tier) awaits it; memory and disk answer at once, through this
    /// default, which calls <see cref="TryGet"/> and completes synchronously (no allocation).
    /// </summary>
    ValueTask<RenderedImage?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(TryGet(key, out var image) ? image : null);

    void Set(string key, RenderedImage image);

    /// <summary>Drops every derivative of an identifier; returns how many were dropped.</summary>
    int Purge(string identifier);
}
