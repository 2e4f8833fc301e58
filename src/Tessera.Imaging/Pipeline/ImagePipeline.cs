using Tessera.Core.Compliance;
using Tessera.Core.Iiif;
using Tessera.Core.Planning;
using Tessera.Imaging.Caching;
using Tessera.Imaging.Rendering;
using Tessera.Imaging.Sources;
using Tessera.Vips;

namespace Tessera.Imaging.Pipeline;

/// <summary>
/// The one parse → plan → render path that the server and the command-line tools share: resolve the identifier,
/// read the source's facts (cached), plan against them and the limits (refusing before any pixel is decoded), render.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Owner of the render threads: the process. A pipeline lives as long as the server or command that made it, and its threads are background threads that end with the process.")]
public sealed class ImagePipeline
{
    private readonly RenderThreads _renderThreads;
    private long _renderCount;

    public ImagePipeline(SourceCatalog catalog, ImageRenderer renderer, ServerLimits limits, ServiceProfile? profile = null, int maxConcurrentRenders = 0, IDerivativeCache? cache = null)
    {
        Catalog = catalog;
        Cache = cache;
        Profile = profile ?? ServiceProfile.Default;
        Renderer = renderer;
        Limits = limits;
        // Renders are CPU-bound: one per core keeps the cores busy, and each extra one only adds its decode buffers to
        // the memory peak.
        var slots = maxConcurrentRenders > 0 ? maxConcurrentRenders : Math.Max(2, Environment.ProcessorCount);
        _renderThreads = new RenderThreads(slots);
    }

    public SourceCatalog Catalog { get; }

    public ImageRenderer Renderer { get; }

    public ServerLimits Limits { get; }

    /// <summary>The derivative cache, or null when caching is off.</summary>
    public IDerivativeCache? Cache { get; }

    /// <summary>The features, formats and qualities offered: what is switched off answers 501 (features) or 400.</summary>
    public ServiceProfile Profile { get; }

    /// <summary>The derivative key of a plan under this pipeline's settings (<see cref="DerivativeKey.Of"/>): the cache's key and the ETag's.</summary>
    public string KeyOf(ImagePlan plan, SourceDescription source) => DerivativeKey.Of(plan, source, Renderer.Options.Colour);

    /// <summary>Resolves and plans without rendering: what the server needs for errors and canonical links.</summary>
    public Outcome<(ImagePlan Plan, SourceDescription Source)> Plan(ImageRequest request)
    {
        if (!Catalog.Describe(request.Identifier).TryGetValue(out var source, out var error))
        {
            return error;
        }

        if (!ImagePlanner.Plan(request, source.Info, Limits, Profile).TryGetValue(out var plan, out error))
        {
            return error;
        }

        return (plan, source);
    }

    /// <summary>
    /// The image of a plan, by the path <see cref="RenderPathChooser"/> chooses (reported on the image with its reason):
    /// for a plan that is exactly one stored JPEG tile of a pyramid TIFF, that tile's bytes (no decode, no encode; only
    /// edge tiles, which are cropped, go through the cache); else from the derivative cache; else rendered, then cached. Rendering is bounded: at most a fixed number run at once, the rest wait their turn.
    /// </summary>
    public Task<Outcome<RenderedImage>> RenderAsync(ImagePlan plan, SourceDescription source, CancellationToken cancellationToken = default) =>
        RenderAsync(plan, source, key: null, cancellationToken);

    /// <summary>
    /// As <see cref="RenderAsync(ImagePlan, SourceDescription, CancellationToken)"/>, for a caller that has already made
    /// the plan's <see cref="DerivativeKey.Of"/> (the server, for its ETag): the cache is asked under that key.
    /// </summary>
    public async Task<Outcome<RenderedImage>> RenderAsync(ImagePlan plan, SourceDescription source, string? key, CancellationToken cancellationToken = default)
    {
        var decision = Renderer.Paths.Choose(plan, source);
        string? tileKey = null;
        if (decision.Path == RenderPath.StoredTile)
        {
            // An interior tile is a read of its bytes: cheaper than any cache. An edge tile is re-coded to its cropped
            // size (a Huffman decode and encode of the kept blocks): that is worth caching like a render.
            tileKey = decision.Reason == RenderReason.EdgeTile && Cache is not null ? key ?? KeyOf(plan, source) : null;
            if (tileKey is not null && Cache!.TryGet(tileKey, out var cachedTile))
            {
                return Chosen(cachedTile with { Origin = RenderOrigin.Cache }, decision);
            }

            RenderedImage? tile;
            try
            {
                tile = Renderer.JpegTiles.ReadStoredTile(plan, source, decision.Directory!, decision.Column, decision.Row, decision.Colour);
            }
            catch (Exception e) when (SourceCatalog.IsDamage(e))
            {
                return SourceCatalog.Unreadable(plan.Identifier, source.Source.Path, e);
            }

            if (tile is not null)
            {
                if (tileKey is not null)
                {
                    Cache!.Set(tileKey, tile);
                }

                return Chosen(tile, decision);
            }
        }

        // An edge tile whose stored bytes could not be used is rendered under the key already made for it.
        key ??= tileKey ?? KeyOf(plan, source);
        if (Cache is not null && Cache.TryGet(key, out var cached))
        {
            return Chosen(cached with { Origin = RenderOrigin.Cache }, decision);
        }

        RenderedImage image;
        try
        {
            image = await _renderThreads.RunAsync(() => Renderer.Render(plan, source, decision), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (SourceCatalog.IsDamage(e))
        {
            // Never cached: a failed render leaves nothing behind in the derivative caches.
            return SourceCatalog.Unreadable(plan.Identifier, source.Source.Path, e);
        }

        Interlocked.Increment(ref _renderCount);
        Cache?.Set(key, image);
        return Chosen(image, decision);
    }

    /// <summary>The image with the path chosen for it and why, for the caller to report (the server logs it).</summary>
    private static RenderedImage Chosen(RenderedImage image, RenderDecision decision) =>
        image with { Path = decision.Path, Reason = decision.Reason };

    /// <summary>Renders so far (what <see cref="MemoryReleaser"/> watches).</summary>
    public long RenderCount => Interlocked.Read(ref _renderCount);

    /// <summary>Forgets everything cached of an identifier: its facts, open levels and derivatives.</summary>
    public int Purge(string identifier)
    {
        var purged = Cache?.Purge(identifier) ?? 0;
        if (Catalog.Resolver.Resolve(identifier).TryGetValue(out var source, out _))
        {
            purged += Catalog.Forget(source.Path) + Renderer.Levels.Forget(source.Path);
        }

        return purged;
    }

    /// <summary>Plans and renders one request.</summary>
    public async Task<Outcome<ImageResult>> RunAsync(ImageRequest request, CancellationToken cancellationToken = default)
    {
        if (!Plan(request).TryGetValue(out var planned, out var error))
        {
            return error;
        }

        if (!(await RenderAsync(planned.Plan, planned.Source, cancellationToken).ConfigureAwait(false)).TryGetValue(out var image, out error))
        {
            return error;
        }

        return new ImageResult(planned.Plan, planned.Source, image);
    }
}
