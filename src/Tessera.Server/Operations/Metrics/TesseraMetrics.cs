using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http;
using Tessera.Imaging;
using Tessera.Imaging.Pipeline;
using Tessera.Imaging.Rendering;

namespace Tessera.Server.Operations.Metrics;

/// <summary>
/// The server's instruments, on one <see cref="Meter"/> named <see cref="MeterName"/> per server (a process running
/// several servers, as the tests do, keeps their numbers apart: each server's exporter takes its own meter only).
/// Requests, latency, render time and bytes are recorded as they happen, with constant labels (no allocation, no lock
/// beyond the exporter's own); caches, open files, libvips and the render queues are observed when scraped, from the
/// counters those parts keep anyway. Prometheus names are the instrument names plus the exporter's unit and
/// <c>_total</c> suffixes (<c>tessera_requests</c> is scraped as <c>tessera_requests_total</c>); docs/deploy.md
/// lists them.
/// </summary>
public sealed class TesseraMetrics : IDisposable
{
    public const string MeterName = "Tessera";

    private static readonly double[] RequestBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
    private static readonly double[] RenderBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _requestDuration;
    private readonly Histogram<double> _renderDuration;
    private readonly Counter<long> _responseBytes;

    public TesseraMetrics(ImagePipeline pipeline, Readiness? readiness = null)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        Meter = new Meter(MeterName, typeof(TesseraMetrics).Assembly.GetName().Version?.ToString());
        _requests = Meter.CreateCounter<long>("tessera_requests", description: "Requests answered, by route kind (image, info, base, presentation, legacy, viewer, health, admin, other), status and origin of the bytes");
        _requestDuration = Meter.CreateHistogram("tessera_request_duration", "s", "Time from the request's arrival to its last byte handed to the server, by route kind and origin", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = RequestBuckets });
        _renderDuration = Meter.CreateHistogram("tessera_render_duration", "s", "Time to produce an image's bytes (cache hits excluded), by the path that produced them: stored-tile, jpeg-tiles, openjpeg, libvips", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = RenderBuckets });
        _responseBytes = Meter.CreateCounter<long>("tessera_response", "By", "Response body bytes written (HEAD, 304 and 204 answers count none), by route kind");

        var tiers = CacheTiers.Of(pipeline.Cache);
        Meter.CreateObservableCounter("tessera_cache_hits", () => PerTier(tiers, m => m.Hits, d => d.Hits), description: "Derivative cache lookups answered, by tier (memory, disk)");
        Meter.CreateObservableCounter("tessera_cache_misses", () => PerTier(tiers, m => m.Misses, d => d.Misses), description: "Derivative cache lookups not answered, by tier");
        Meter.CreateObservableCounter("tessera_cache_evictions", () => PerTier(tiers, m => m.Evictions, d => d.Evictions), description: "Derivative cache entries dropped for room, by tier");
        Meter.CreateObservableGauge("tessera_cache_size", () => PerTier(tiers, m => m.Bytes, d => d.Bytes), "By", "Bytes held by the derivative cache, by tier");
        Meter.CreateObservableGauge("tessera_cache_capacity", () => PerTier(tiers, m => m.CapacityBytes, d => d.CapacityBytes), "By", "Bytes the derivative cache may hold now, by tier (the disk tier's shrinks when its filesystem fills)");
        Meter.CreateObservableGauge("tessera_cache_configured_capacity", () => PerTier(tiers, m => m.CapacityBytes, d => d.ConfiguredCapacityBytes), "By", "Bytes the derivative cache was configured to hold, by tier");
        Meter.CreateObservableGauge("tessera_cache_entries", () => PerTier(tiers, m => m.Count, d => d.Count), description: "Entries in the derivative cache, by tier");

        var levels = pipeline.Renderer.Levels;
        Meter.CreateObservableGauge("tessera_open_files", () => levels.OpenFiles.Count, description: "Source files held open for stored-tile reads");
        Meter.CreateObservableGauge("tessera_held_levels", () => (IEnumerable<Measurement<long>>)[new(levels.OpenImages.Count, new KeyValuePair<string, object?>("cache", "levels")), new(levels.Jpeg2000Tiles.Count, new KeyValuePair<string, object?>("cache", "jpeg2000"))], description: "Opened pyramid levels and JPEG 2000 windows held between requests");
        Meter.CreateObservableGauge("tessera_held_levels_size", () => (IEnumerable<Measurement<long>>)[new(levels.OpenImages.Bytes, new KeyValuePair<string, object?>("cache", "levels")), new(levels.Jpeg2000Tiles.Bytes, new KeyValuePair<string, object?>("cache", "jpeg2000"))], "By", "What the held levels are counted as against their bound");
        Meter.CreateObservableGauge("tessera_vips_memory", () => ImagingRuntime.VipsTrackedMemory, "By", "Pixel memory libvips tracks");
        Meter.CreateObservableGauge("tessera_vips_open_files", () => ImagingRuntime.VipsTrackedFiles, description: "Files libvips holds open");

        var threads = pipeline.RenderThreads;
        Meter.CreateObservableGauge("tessera_renders_waiting", () => (IEnumerable<Measurement<int>>)[new(threads.Queued(RenderLane.Cheap), new KeyValuePair<string, object?>("lane", "cheap")), new(threads.Queued(RenderLane.Expensive), new KeyValuePair<string, object?>("lane", "expensive"))], description: "Renders waiting for a render thread, by lane");
        Meter.CreateObservableGauge("tessera_renders_running", () => threads.Running, description: "Renders running now");
        Meter.CreateObservableGauge("tessera_render_threads", () => threads.Count, description: "Render threads (renders that can run at once)");
        Meter.CreateObservableCounter("tessera_renders", () => pipeline.RenderCount, description: "Renders finished (not stored tiles, not cache hits)");
        Meter.CreateObservableCounter("tessera_renders_stopped", () => pipeline.StoppedCount, description: "Renders stopped before their end: past RenderTimeoutSeconds, or their client gone");
        if (readiness is not null)
        {
            Meter.CreateObservableGauge("tessera_ready", () => readiness.Check().Ready ? 1 : 0, description: "1 when /readyz answers 200 (root readable, libvips up, disk cache writable), else 0");
        }
    }

    /// <summary>This server's meter.</summary>
    public Meter Meter { get; }

    /// <summary>
    /// Counts one answered request of route kind <paramref name="route"/> (<see cref="RequestRoute.KindOf"/>) that wrote
    /// <paramref name="bodyBytes"/> of body; <paramref name="start"/> is its <see cref="Stopwatch.GetTimestamp"/> at arrival.
    /// </summary>
    public void Request(HttpContext context, string route, int status, long start, long bodyBytes)
    {
        ArgumentNullException.ThrowIfNull(context);
        var routeLabel = new KeyValuePair<string, object?>("route", route);
        var origin = new KeyValuePair<string, object?>("origin", MetricLabels.Origin(context.Response));
        _requests.Add(1, routeLabel, new KeyValuePair<string, object?>("status", MetricLabels.Status(status)), origin);
        _requestDuration.Record(Stopwatch.GetElapsedTime(start).TotalSeconds, routeLabel, origin);
        if (bodyBytes > 0)
        {
            _responseBytes.Add(bodyBytes, routeLabel);
        }
    }

    /// <summary>Records the render time of an image (nothing for a cache hit); <paramref name="start"/> is when it was asked for.</summary>
    public void Rendered(RenderedImage image, long start)
    {
        if (image.Origin != RenderOrigin.Cache)
        {
            _renderDuration.Record(Stopwatch.GetElapsedTime(start).TotalSeconds, new KeyValuePair<string, object?>("path", MetricLabels.RenderPath(image.Origin)));
        }
    }

    public void Dispose() => Meter.Dispose();

    private static IEnumerable<Measurement<long>> PerTier(CacheTiers tiers, Func<Imaging.Caching.MemoryDerivativeCache, long> memory, Func<Imaging.Caching.DiskDerivativeCache, long> disk)
    {
        var measurements = new List<Measurement<long>>(2);
        if (tiers.Memory is { } m)
        {
            measurements.Add(new Measurement<long>(memory(m), new KeyValuePair<string, object?>("tier", "memory")));
        }

        if (tiers.Disk is { } d)
        {
            measurements.Add(new Measurement<long>(disk(d), new KeyValuePair<string, object?>("tier", "disk")));
        }

        return measurements;
    }
}
