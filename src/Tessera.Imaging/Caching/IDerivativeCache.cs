using Tessera.Imaging.Rendering;

namespace Tessera.Imaging.Caching;

/// <summary>
/// Rendered images keyed by the canonical plan (plus identifier and source version). Implementations never throw
/// for their own failures: a broken cache is a miss, and the image is rendered again.
/// </summary>
public interface IDerivativeCache
{
    bool TryGet(string key, out RenderedImage image);

    void Set(string key, RenderedImage image);

    /// <summary>Drops every derivative of an identifier; returns how many were dropped.</summary>
    int Purge(string identifier);
}
