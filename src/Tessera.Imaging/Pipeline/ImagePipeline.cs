using Tessera.Core.Compliance;
using Tessera.Core.Iiif;
using Tessera.Core.Planning;
using Tessera.Imaging.Caching;
using Tessera.Imaging.Rendering;
using Tessera.Imaging.Sources;
using Tessera.Imaging.Storage;
using Tessera.Vips;

namespace Tessera.Imaging.Pipeline;

/// <summary>
/// The one parse → plan → render path that the server and the command-line tools share: resolve the identifier,
/// read the source's facts (cached), plan against them and the limits (refusing before any pixel is decoded), render.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Owner of the render threads and the watchdog timer: the process. A pipeline lives as long as the server or command that made it, and its threads are background threads that end with the process.")]
public sealed class ImagePipeline
{
    private readonly RenderThreads _renderThreads;
    private readonly RenderWatchdog _watchdog;
    private long _renderCount;
    private long _stoppedCount;

    /// <summary>A pipeline; <paramref name="budget"/> says how long a render may take and how many may wait (null: <see cref="RenderBudget.Unlimited"/>).</summary>
    public ImagePipeline(SourceCatalog catalog, ImageRenderer renderer, ServerLimits limits, ServiceProfile? profile = null, int maxConcurrentRenders = 0, IDerivativeCache? cache = null, RenderBudget? budget = null)
    {
        Budget = budget ?? RenderBudget.Unlimited;
        Catalog = catalog;
        Cache = cache;
        Profile = profile ?? ServiceProfile.Default;
        Renderer = renderer;
        Limits = limits;
        // Renders are CPU-bound: one per core keeps the cores busy, and each extra one only adds its decode buffers to
        // the memory peak.
        var slots = maxConcurrentRenders > 0 ? maxConcurrentRenders : Math.Max(2, Environment.ProcessorCount);
        _renderThreads = new RenderThreads(slots, queueLength: Budget.QueueLength, expensiveQueueLength: Budget.ExpensiveQueueLength);
        _watchdog = new RenderWatchdog(Budget.Timeout);
    }

    /// <summary>The time limit and queue bounds of renders.</summary>
    public RenderBudget Budget { get; }

    /// <summary>The render threads and their lanes, for what is running and waiting.</summary>
    public RenderThreads RenderThreads => _renderThreads;

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
    public Outcome<(ImagePlan Plan, SourceDescription Source)> Plan(ImageRequest request) => Plan(request, limitsOf: null);

    /// <summary>
    /// As <see cref="Plan(ImageRequest)"/>, under limits that depend on the source (a degraded view's reduced size):
    /// <paramref name="limitsOf"/> null means <see cref="Limits"/>.
    /// </summary>
    public Outcome<(ImagePlan Plan, SourceDescription Source)> Plan(ImageRequest request, Func<SourceDescription, ServerLimits>? limitsOf)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Catalog.Describe(request.Identifier).TryGetValue(out var source, out var error))
        {
            return error;
        }

        if (!ImagePlanner.Plan(request, source.Info, limitsOf?.Invoke(source) ?? Limits, Profile).TryGetValue(out var plan, out error))
        {
            return error;
        }

        if (Catalog.Limits.RefuseStreamed(source, plan) is { } reason)
        {
            return SourceCatalog.TooLarge(request.Identifier, reason);
        }

        if (Redactions?.Invoke(request.Identifier) is { Count: > 0 } boxes)
        {
            plan = plan with { Redactions = [.. boxes.Select(b => b.Resolve(source.Info.Width, source.Info.Height)).OfType<PixelRect>()] };
        }

        return (plan, source);
    }

    /// <summary>
    /// The redaction boxes of an identifier (the server's access rules), drawn black on every image planned here before
    /// any scaling, on every render path, and part of the derivative key. Null (the default, batch work, and a server
    /// whose rules redact nothing): nothing is asked. Set once, at start.
    /// </summary>
    public Func<string, IReadOnlyList<RedactionBox>>? Redactions { get; set; }

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
            if (tileKey is not null && await Cache!.GetAsync(tileKey, cancellationToken).ConfigureAwait(false) is { } cachedTile)
            {
                return Chosen(cachedTile with { Origin = RenderOrigin.Cache }, decision);
            }

            RenderedImage? tile;
            try
            {
                tile = Renderer.JpegTiles.ReadStoredTile(plan, source, decision.Directory!, decision.Column, decision.Row, decision.Colour);
            }
            catch (RemoteStoreException e)
            {
                return e.ToError(plan.Identifier);
            }
            catch (Exception e) when (SourceCatalog.IsDamage(e))
            {
                return source.Source.IsChanging(SourceCatalog.Settle) ? SourceCatalog.Changing(plan.Identifier) : SourceCatalog.Unreadable(plan.Identifier, source.Source.Path, e);
            }

            if (tile is not null)
            {
                if (!source.Source.IsCurrent())
                {
                    return SourceCatalog.Changing(plan.Identifier);
                }

                if (tileKey is not null)
                {
                    Cache!.Set(tileKey, tile);
                }

                return Chosen(tile, decision);
            }
        }

        // An edge tile whose stored bytes could not be used is rendered under the key already made for it.
        key ??= tileKey ?? KeyOf(plan, source);
        // Awaited: the shared S3 tier asks another machine (up to its timeout) without holding a thread; memory and
        // disk answer synchronously.
        if (Cache is not null && await Cache.GetAsync(key, cancellationToken).ConfigureAwait(false) is { } cached)
        {
            return Chosen(cached with { Origin = RenderOrigin.Cache }, decision);
        }

        // Who may make new renders, and how many (set by the server): asked only now, when nothing stored or cached answers.
        if (RenderGate?.Invoke(plan) is { } refused)
        {
            return refused;
        }

        // Queued by its cost, so tiles never wait behind full-size renders of large sources; stopped at its deadline or
        // when its request goes away. A stopped render is an error, never cached.
        var lane = RenderCost.LaneOf(RenderCost.Of(plan, source), Budget);
        var deadline = Budget.HasTimeout ? Environment.TickCount64 + (long)Budget.Timeout.TotalMilliseconds : long.MaxValue;
        using var control = new RenderControl(deadline, cancellationToken);
        _watchdog.Watch(control);
        RenderedImage image;
        try
        {
            var queued = _renderThreads.TryRunAsync(() => Renderer.Render(plan, source, decision, control), lane, control.Token);
            if (queued is null)
            {
                return QueueFull(lane);
            }

            image = await queued.ConfigureAwait(false);
        }
        catch (Exception e) when (control.IsStopped && e is VipsException or OperationCanceledException)
        {
            // libvips reports a killed image as a failure like any other: the control knows it was stopped, and why.
            Interlocked.Increment(ref _stoppedCount);
            return Stopped(control.Reason);
        }
        catch (RemoteStoreException e)
        {
            // The store failed or was too slow for this request (502/504); never cached.
            return e.ToError(plan.Identifier);
        }
        catch (Exception e) when (SourceCatalog.IsDamage(e))
        {
            // Never cached: a failed render leaves nothing behind in the derivative caches.
            return source.Source.IsChanging(SourceCatalog.Settle) ? SourceCatalog.Changing(plan.Identifier) : SourceCatalog.Unreadable(plan.Identifier, source.Source.Path, e);
        }
        finally
        {
            _watchdog.Forget(control);
        }

        Interlocked.Increment(ref _renderCount);

        // What was read while the file was replaced or rewritten may mix two versions: never sent, never cached.
        if (!source.Source.IsCurrent())
        {
            return SourceCatalog.Changing(plan.Identifier);
        }

        Cache?.Set(key, image);
        return Chosen(image, decision);
    }

    /// <summary>The image with the path chosen for it and why, for the caller to report (the server logs it).</summary>
    private static RenderedImage Chosen(RenderedImage image, RenderDecision decision) =>
        image with { Path = decision.Path, Reason = decision.Reason };

    /// <summary>
    /// Asked before a new render is queued, never for a cached image or a stored tile: an error refuses the render (the
    /// server's rule on who may render, its per-client render rate), null lets it run. Null (the default, and batch
    /// work): every render runs. Set once, at start.
    /// </summary>
    public Func<ImagePlan, IiifError?>? RenderGate { get; set; }

    /// <summary>Renders so far (what <see cref="MemoryReleaser"/> watches).</summary>
    public long RenderCount => Interlocked.Read(ref _renderCount);

    /// <summary>Renders stopped before their end so far: past their deadline, or their request gone.</summary>
    public long StoppedCount => Interlocked.Read(ref _stoppedCount);

    /// <summary>Status 499 (no one hears it: the client has gone), as nginx logs a request its client closed.</summary>
    public const int ClientClosedRequest = 499;

    private IiifError QueueFull(RenderLane lane)
    {
        var (setting, length) = lane == RenderLane.Cheap ? ("RenderQueueLength", Budget.QueueLength) : ("ExpensiveRenderQueueLength", Budget.ExpensiveQueueLength);
        return new IiifError(503, "render", $"Expected room in the {lane.ToString().ToLowerInvariant()} render queue but it is full ({length} waiting, {setting}); retry later")
        {
            RetryAfter = RetryAfter(lane),
        };
    }

    private IiifError Stopped(RenderStop reason) => reason == RenderStop.TimedOut
        ? new IiifError(503, "render", $"Expected the render within RenderTimeoutSeconds ({Budget.Timeout.TotalSeconds:0.###} s) but it took longer and was stopped; retry later, ask for a smaller size or region, or serve a pyramid made by `tessera convert`")
        {
            RetryAfter = RetryAfter(RenderLane.Expensive),
        }
        : new IiifError(ClientClosedRequest, "render", "The request went away before its render was done; the render was stopped");

    /// <summary>When to come back: a second for a tile (the cheap lane drains fast), a budget's length for a large render.</summary>
    private TimeSpan RetryAfter(RenderLane lane) =>
        lane == RenderLane.Cheap || !Budget.HasTimeout ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(Budget.Timeout.TotalSeconds)));

    /// <summary>Forgets everything cached of an identifier: its facts, open levels and derivatives (of every page, for a source's own identifier).</summary>
    public int Purge(string identifier)
    {
        var purged = Cache?.Purge(identifier) ?? 0;
        var sourceIdentifier = PageIdentifier.Parse(identifier).TryGetValue(out var page, out _) ? page.Base : identifier;
        if (sourceIdentifier == identifier && Cache is not null && Catalog.Describe(identifier).TryGetValue(out var described, out _))
        {
            // Derivatives are keyed by the identifier asked for: the pages' are their own.
            for (var number = 1; number <= described.PageCount; number++)
            {
                purged += Cache.Purge(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{identifier};{number}"));
            }
        }

        if (Catalog.Resolver.Resolve(sourceIdentifier).TryGetValue(out var source, out _))
        {
            purged += Catalog.Forget(source.Path) + Renderer.Levels.Forget(source.Path);
        }

        return purged;
    }

    /// <summary>Plans and renders one request; once more, with the new version, when the source changed while it was read.</summary>
    public async Task<Outcome<ImageResult>> RunAsync(ImageRequest request, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (!Plan(request).TryGetValue(out var planned, out var error))
            {
                return error;
            }

            if (!(await RenderAsync(planned.Plan, planned.Source, cancellationToken).ConfigureAwait(false)).TryGetValue(out var image, out error))
            {
                if (attempt < 2 && SourceCatalog.IsChanging(error))
                {
                    continue;
                }

                return error;
            }

            return new ImageResult(planned.Plan, planned.Source, image);
        }
    }
}
