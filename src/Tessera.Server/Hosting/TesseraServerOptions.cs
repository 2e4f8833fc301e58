using Tessera.Core.Planning;
using Tessera.Imaging.Colour;
using Tessera.Imaging.Pipeline;
using Tessera.Imaging.Rendering;
using Tessera.Imaging.Sources;

namespace Tessera.Server.Hosting;

/// <summary>
/// Everything a deployment can set, bound from the <c>Tessera</c> configuration section (appsettings.json, environment
/// variables such as <c>Tessera__Root</c>) and overridden by command-line flags. <c>appsettings.sample.json</c>
/// documents every key.
/// </summary>
public sealed record TesseraServerOptions
{
    /// <summary>The folder whose images are served; identifiers are paths relative to it. Required.</summary>
    public string Root { get; init; } = string.Empty;

    /// <summary>
    /// The public URL of the server (e.g. <c>https://images.example.org</c>), used for <c>id</c> in info.json and
    /// canonical links. Unset: taken from each request.
    /// </summary>
    public string? BaseUrl { get; init; }

    /// <summary>Believe <c>X-Forwarded-Proto</c>, <c>X-Forwarded-Host</c> and <c>X-Forwarded-Prefix</c> (set this only behind a proxy that sets them).</summary>
    public bool TrustForwardedHeaders { get; init; }

    /// <summary>The widest image returned, in pixels.</summary>
    public int MaxWidth { get; init; } = ServerLimits.Default.MaxWidth;

    /// <summary>The tallest image returned, in pixels.</summary>
    public int MaxHeight { get; init; } = ServerLimits.Default.MaxHeight;

    /// <summary>The most pixels in one returned image.</summary>
    public long MaxArea { get; init; } = ServerLimits.Default.MaxArea;

    /// <summary>
    /// The most pixels a source may declare (checked from its header before any decoder runs); more is refused with 413.
    /// Default 16 Gpx: a 100000×100000 pyramid is 10.
    /// </summary>
    public long MaxSourcePixels { get; init; } = SourceLimits.Default.MaxSourcePixels;

    /// <summary>
    /// The most memory, in MiB, a source's decoder may need at once by its header's account (a progressive JPEG, an
    /// interlaced PNG or a GIF is decoded whole; a strip or tile otherwise); more is refused with 413.
    /// </summary>
    public int MaxDecodeMegabytes { get; init; } = SourceLimits.Default.MaxDecodeMegabytes;

    /// <summary>
    /// The most pixels one request may make a sequential decoder produce (baseline JPEG, PNG, strip TIFF: every row down
    /// to the region's bottom); more is refused with 413.
    /// </summary>
    public long MaxStreamedPixels { get; init; } = SourceLimits.Default.MaxStreamedPixels;

    /// <summary>
    /// The DPI PDF pages are rendered at (1..2400): it makes a page's pixel size, judged by the limits above before poppler
    /// renders. Default 150 (an A4 page is 1240×1754).
    /// </summary>
    public double PdfDpi { get; init; } = SourceLimits.Default.PdfDpi;

    /// <summary>The source limits these options set.</summary>
    public SourceLimits SourceLimits => new() { MaxSourcePixels = MaxSourcePixels, MaxDecodeMegabytes = MaxDecodeMegabytes, MaxStreamedPixels = MaxStreamedPixels, PdfDpi = PdfDpi };

    /// <summary>A rights URI (Creative Commons or RightsStatements.org) advertised in info.json.</summary>
    public string? Rights { get; init; }

    /// <summary>Formats advertised as preferred in info.json, best first, e.g. <c>["webp", "jpg"]</c>.</summary>
    public IReadOnlyList<string> PreferredFormats { get; init; } = [];

    /// <summary>Seconds clients and CDNs may keep a response (<c>Cache-Control: public, max-age</c>). 0 sends <c>no-cache</c>.</summary>
    public int CacheMaxAgeSeconds { get; init; } = 86_400;

    /// <summary>JPEG quality of rendered images, 1..100.</summary>
    public int JpegQuality { get; init; } = RenderOptions.DefaultJpegQuality;

    /// <summary>
    /// The resampling kernel: lanczos3 (sharpest, the default), cubic, linear (about a third faster on large
    /// reductions), mitchell, lanczos2, nearest.
    /// </summary>
    public string ResampleKernel { get; init; } = ResampleKernels.Default.Name();

    /// <summary>
    /// Sources whose ICC profile is not sRGB (Adobe RGB, eciRGB, ProPhoto, ...): <c>convert</c> (the default) sends sRGB,
    /// through a LittleCMS transform built once per profile; <c>embed</c> sends the stored pixels with the source's
    /// profile attached (stored tiles pass through), for browsers to colour-manage.
    /// </summary>
    public string Colour { get; init; } = ColourPolicy.Convert.Name();

    /// <summary>Renders running at once; 0 means one per processor (at least 2). Requests beyond wait their turn.</summary>
    public int MaxConcurrentRenders { get; init; }

    /// <summary>
    /// Seconds a render may take, from being queued to its bytes: past it, it is stopped and answered 503 with
    /// <c>Retry-After</c> (so a few costly sources cannot hold the render threads). 0: no limit.
    /// </summary>
    public int RenderTimeoutSeconds { get; init; } = 30;

    /// <summary>
    /// Source pixels a render may decode and still count as cheap (tiles, small regions); above, it waits in the
    /// expensive lane, which holds at most all render threads but one, so tiles never wait behind large renders.
    /// </summary>
    public long ExpensiveRenderPixels { get; init; } = RenderBudget.DefaultExpensivePixels;

    /// <summary>Cheap renders waiting for a render thread, at most; more are answered 503 with <c>Retry-After</c>.</summary>
    public int RenderQueueLength { get; init; } = 256;

    /// <summary>Expensive renders waiting for a render thread, at most; more are answered 503 with <c>Retry-After</c>.</summary>
    public int ExpensiveRenderQueueLength { get; init; } = 8;

    /// <summary>Derivative caches: None, Memory, Disk or Both.</summary>
    public CacheMode Cache { get; init; } = CacheMode.Both;

    /// <summary>Folder of the disk cache; default <c>tessera-cache</c> under the system's temporary folder.</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>Bytes of derivatives kept in memory, in MiB.</summary>
    public int MemoryCacheMegabytes { get; init; } = 64;

    /// <summary>Bytes of derivatives kept on disk, in MiB.</summary>
    public int DiskCacheMegabytes { get; init; } = 2048;

    /// <summary>Folder levels below the root that listings (home page, Collection, manifests) enter.</summary>
    public int ListingMaxDepth { get; init; } = ListingLimits.Default.MaxDepth;

    /// <summary>Directory entries one listing looks at before it stops, truncated.</summary>
    public int ListingMaxEntries { get; init; } = ListingLimits.Default.MaxEntries;

    /// <summary>Seconds one listing may take before it stops, truncated.</summary>
    public double ListingMaxSeconds { get; init; } = ListingLimits.Default.MaxDuration.TotalSeconds;

    /// <summary>The listing bounds these options describe.</summary>
    public ListingLimits Listing => new()
    {
        MaxDepth = ListingMaxDepth,
        MaxEntries = ListingMaxEntries,
        // Out of range is reported by Validate with the setting's own name; clamped here so building never throws.
        MaxDuration = TimeSpan.FromSeconds(ListingMaxSeconds is > 0 and <= 86_400 ? ListingMaxSeconds : 1),
    };

    /// <summary>
    /// A secret that enables <c>DELETE /admin/cache/{identifier}</c> (send <c>Authorization: Bearer {token}</c>) to purge
    /// an identifier's cached facts and derivatives. Unset: the endpoint does not exist.
    /// </summary>
    public string? AdminToken { get; init; }

    /// <summary>
    /// Make <c>^max</c> enlarge up to the limits (the literal reading of Image API 3.0 §4.2). Off by default, as the
    /// official validator and the reference implementation expect: <c>^max</c> is then the region at its own size.
    /// </summary>
    public bool UpscaleCaretMaxToLimits { get; init; }

    /// <summary>
    /// How the log is written to standard output: <c>text</c> (the console's usual lines) or <c>json</c> (one JSON
    /// object per line: time, level, event, category, message and each named value, e.g. identifier, route, status,
    /// duration, origin for a request), for log shippers.
    /// </summary>
    public string LogFormat { get; init; } = "text";

    /// <summary>Log one line per request (method, path, identifier, route kind, status, duration, origin). Off by default.</summary>
    public bool AccessLog { get; init; }

    /// <summary>
    /// Seconds a stop (SIGTERM, Ctrl+C) waits for requests in flight to finish after the server stops accepting; those
    /// still running then are cut off. Keep Kubernetes' <c>terminationGracePeriodSeconds</c> above it.
    /// </summary>
    public int ShutdownTimeoutSeconds { get; init; } = 25;

    public ServerLimits Limits => new(MaxWidth, MaxHeight, MaxArea) { UpscaleCaretMaxToLimits = UpscaleCaretMaxToLimits };

    public string ResolvedCacheDirectory => CacheDirectory ?? Path.Combine(Path.GetTempPath(), "tessera-cache");

    /// <summary>
    /// The pipeline these options describe (root, JPEG quality, kernel, limits, renders at once), for
    /// <see cref="PipelineFactory"/>; the server adds its profile and cache. Valid options only.
    /// </summary>
    /// <exception cref="ArgumentException">The kernel names none (<see cref="Validate"/> says so first).</exception>
    public ImagePipelineSettings PipelineSettings() => new()
    {
        Root = Root,
        Render = new RenderOptions
        {
            JpegQuality = JpegQuality,
            Kernel = ResampleKernels.Parse(ResampleKernel, nameof(ResampleKernel)),
            Colour = ColourPolicies.TryParse(Colour, out var colour) ? colour : throw new ArgumentException(ColourPolicies.Problem(Colour, nameof(Colour))),
        },
        Limits = Limits,
        SourceLimits = SourceLimits,
        MaxConcurrentRenders = MaxConcurrentRenders,
        Budget = new RenderBudget
        {
            Timeout = RenderTimeoutSeconds > 0 ? TimeSpan.FromSeconds(RenderTimeoutSeconds) : Timeout.InfiniteTimeSpan,
            ExpensivePixels = ExpensiveRenderPixels,
            QueueLength = RenderQueueLength,
            ExpensiveQueueLength = ExpensiveRenderQueueLength,
        },
        Listing = Listing,
    };

    /// <summary>Every problem with these options, so a misconfigured server says all of them at start.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Root))
        {
            errors.Add("Expected a folder for Root (--root) but received nothing");
        }
        else if (!Directory.Exists(Root))
        {
            errors.Add($"Expected an existing folder for Root (--root) but received \"{Root}\"");
        }

        if (BaseUrl is not null && (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            errors.Add($"Expected an absolute http(s) URL for BaseUrl (--base-url) but received \"{BaseUrl}\"");
        }

        errors.AddRange(Limits.Validate());
        errors.AddRange(Listing.Validate());
        if (ListingMaxSeconds is not (> 0 and <= 86_400))
        {
            errors.Add($"Expected more than 0 and at most 86400 for ListingMaxSeconds but received {ListingMaxSeconds}");
        }
        errors.AddRange(SourceLimits.Validate());

        if (!ResampleKernels.TryParse(ResampleKernel, out _))
        {
            errors.Add(ResampleKernels.Problem(ResampleKernel, nameof(ResampleKernel)));
        }

        if (!ColourPolicies.TryParse(Colour, out _))
        {
            errors.Add(ColourPolicies.Problem(Colour, nameof(Colour)));
        }

        if (MaxConcurrentRenders < 0)
        {
            errors.Add($"Expected 0 (one per processor) or more for MaxConcurrentRenders but received {MaxConcurrentRenders}");
        }

        if (RenderTimeoutSeconds < 0)
        {
            errors.Add($"Expected 0 (no limit) or more seconds for RenderTimeoutSeconds but received {RenderTimeoutSeconds}");
        }

        if (ExpensiveRenderPixels < 1)
        {
            errors.Add($"Expected 1 or more pixels for ExpensiveRenderPixels but received {ExpensiveRenderPixels}");
        }

        if (RenderQueueLength < 0)
        {
            errors.Add($"Expected 0 or more for RenderQueueLength but received {RenderQueueLength}");
        }

        if (ExpensiveRenderQueueLength < 0)
        {
            errors.Add($"Expected 0 or more for ExpensiveRenderQueueLength but received {ExpensiveRenderQueueLength}");
        }

        if (CacheMaxAgeSeconds < 0)
        {
            errors.Add($"Expected 0 or more for CacheMaxAgeSeconds but received {CacheMaxAgeSeconds}");
        }

        if (JpegQuality is < 1 or > 100)
        {
            errors.Add($"Expected 1..100 for JpegQuality but received {JpegQuality}");
        }

        if (MemoryCacheMegabytes < 0 || DiskCacheMegabytes < 0)
        {
            errors.Add($"Expected 0 or more MiB for MemoryCacheMegabytes and DiskCacheMegabytes but received {MemoryCacheMegabytes} and {DiskCacheMegabytes}");
        }

        if (LogFormat is not ("text" or "json"))
        {
            errors.Add($"Expected text or json for LogFormat (--log-format) but received \"{LogFormat}\"");
        }

        if (ShutdownTimeoutSeconds is < 0 or > 3600)
        {
            errors.Add($"Expected 0..3600 seconds for ShutdownTimeoutSeconds but received {ShutdownTimeoutSeconds}");
        }

        if (AdminToken is { Length: < 16 })
        {
            errors.Add("Expected an AdminToken of at least 16 characters (it guards the purge endpoint)");
        }

        foreach (var format in PreferredFormats)
        {
            if (!Core.Iiif.ImageFormats.TryParse(format, out _))
            {
                errors.Add($"Expected one of jpg, png, webp, tif, gif, jp2, avif in PreferredFormats but received \"{format}\"");
            }
        }

        return errors;
    }
}
