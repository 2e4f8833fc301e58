using Tessera.Core.Compliance;
using Tessera.Core.Iiif;
using Tessera.Core.Planning;
using Tessera.Imaging.Rendering;
using Tessera.Imaging.Sources;
using Tessera.Vips;

namespace Tessera.Imaging.Pipeline;

/// <summary>
/// The one parse → plan → render path that the server and the command-line tools share: resolve the identifier,
/// read the source's facts (cached), plan against them and the limits (refusing before any pixel is decoded), render.
/// </summary>
public sealed class ImagePipeline
{
    private readonly SemaphoreSlim _renderSlots;

    public ImagePipeline(SourceCatalog catalog, ImageRenderer renderer, ServerLimits limits, ServiceProfile? profile = null, int maxConcurrentRenders = 0)
    {
        Catalog = catalog;
        Profile = profile ?? ServiceProfile.Default;
        Renderer = renderer;
        Limits = limits;
        var slots = maxConcurrentRenders > 0 ? maxConcurrentRenders : Math.Max(2, Environment.ProcessorCount * 2);
        _renderSlots = new SemaphoreSlim(slots, slots);
    }

    public SourceCatalog Catalog { get; }

    public ImageRenderer Renderer { get; }

    public ServerLimits Limits { get; }

    /// <summary>The features, formats and qualities offered: what is switched off answers 501 (features) or 400.</summary>
    public ServiceProfile Profile { get; }

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

    /// <summary>Renders a plan. Bounded: at most a fixed number of renders run at once, the rest wait their turn.</summary>
    public async Task<Outcome<RenderedImage>> RenderAsync(ImagePlan plan, SourceDescription source, CancellationToken cancellationToken = default)
    {
        await _renderSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return Renderer.Render(plan, source);
        }
        catch (VipsException e)
        {
            return SourceCatalog.Unreadable(plan.Identifier, e);
        }
        finally
        {
            _renderSlots.Release();
        }
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
