using Tessera.Core.Planning;
using Tessera.Imaging.Colour;
using Tessera.Imaging.Pipeline;
using Tessera.Imaging.Rendering;
using Tessera.Imaging.Sources;
using Tessera.Server.Authentication;
using Tessera.Imaging.Storage;

namespace Tessera.Server.Hosting;

/// <summary>
/// Everything a deployment can set, bound from the <c>Tessera</c> configuration section (appsettings.json, environment
/// variables such as <c>Tessera__Root</c>) and overridden by command-line flags. <c>appsettings.sample.json</c>
/// documents every key.
/// </summary>
public sealed record TesseraServerOptions
{
    /// <summary>
    /// The folder whose images are served, identifiers being paths relative to it; or a bucket
    /// (<c>s3://bucket[/prefix]</c>, identifiers are keys under the prefix) or an HTTP origin
    /// (<c>https://host/prefix/</c>, the identifier appended URL-encoded). Required.
    /// </summary>
    public string Root { get; init; } = string.Empty;

    /// <summary>
    /// How S3 is reached beyond the AWS SDK's standard chain (section <c>Tessera:S3</c>, e.g.
    /// <c>Tessera__S3__ForcePathStyle=true</c> for MinIO, Ceph, R2 or s3rver).
    /// </summary>
    public S3Settings S3 { get; init; } = new();

    /// <summary>Seconds one call to a remote root (HEAD, ranged GET, download, listing page) may take; past it the request is answered 504.</summary>
    public double RemoteTimeoutSeconds { get; init; } = RemoteSourceSettings.Default.RemoteTimeoutSeconds;

    /// <summary>
    /// Seconds a remote object's HEAD (its ETag: its version) is trusted. 0 (default): a HEAD per request, a changed
    /// object is served anew at once.
    /// </summary>
    public double RemoteRevalidateSeconds { get; init; }

    /// <summary>Folder of the spool of whole remote objects (JPEG, PNG, JPEG 2000, TIFFs libvips must read). Default: tessera-spool in the system's temporary folder.</summary>
    public string? SpoolDirectory { get; init; }

    /// <summary>The most MiB the spool keeps, least recently used first out; a larger object is refused with 413.</summary>
    public int SpoolMegabytes { get; init; } = RemoteSourceSettings.Default.SpoolMegabytes;

    /// <summary>The remote-source settings these options set.</summary>
    public RemoteSourceSettings RemoteSources => new()
    {
        S3 = S3,
        RemoteTimeoutSeconds = RemoteTimeoutSeconds,
        RevalidateSeconds = RemoteRevalidateSeconds,
        SpoolDirectory = SpoolDirectory,
        SpoolMegabytes = SpoolMegabytes,
    };

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

    /// <summary>
    /// <c>s3://bucket/prefix</c>: a derivative cache shared by every server that names it, the tier after memory and
    /// disk. A purge removes an identifier's entries there too, so every server forgets it. Failures are misses. Unset: none.
    /// </summary>
    public string? CacheS3 { get; init; }

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
    /// Who may make new renders: <c>anyone</c> (the default) or <c>authorised</c>, with which anonymous requests get only
    /// what costs no render (cached derivatives, stored tiles) and the tiles and sizes info.json lists (and DeepZoom
    /// and Zoomify tiles); any other new render answers 401 until the client signs in (GLAMkit's rule: renders on
    /// demand cost money and invite abuse).
    /// </summary>
    public string Rendering { get; init; } = "anyone";

    /// <summary>New renders a client (a signed-in user, else an address) may start per minute; over it, 429 with <c>Retry-After</c>. 0: no limit.</summary>
    public int RenderRateLimit { get; init; }

    /// <summary>New renders a client may start at once before <see cref="RenderRateLimit"/> applies (a viewer's first screen of tiles).</summary>
    public int RenderRateBurst { get; init; } = 30;

    /// <summary>
    /// A secret that enables <c>DELETE /admin/cache/{identifier}</c> (send <c>Authorization: Bearer {token}</c>) to purge
    /// an identifier's cached facts and derivatives. Unset: the endpoint does not exist.
    /// </summary>
    public string? AdminToken { get; init; }

    /// <summary>
    /// A JSON file of access rules (docs/access.md, samples/access.json): by identifier glob, in order, <c>public</c>,
    /// <c>login</c>, <c>degraded</c> or <c>hidden</c>. Unset: everything is public and the IIIF auth services do not exist.
    /// </summary>
    public string? Access { get; init; }

    /// <summary>Seconds an IIIF access token is good for (its <c>expiresIn</c>).</summary>
    public int AccessTokenSeconds { get; init; } = 1800;

    /// <summary>
    /// The key access tokens are signed with, base64 of 32 bytes or more; shared by the servers behind one load balancer
    /// only for signatures (each keeps its own tokens). Unset: made at random on start.
    /// </summary>
    public string? AccessTokenKey { get; init; }

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

    /// <summary>
    /// The path of the IIP protocol endpoint (iipsrv's own: <c>?FIF=...&amp;JTL=r,n</c>, <c>OBJ=</c>, <c>CVT=jpeg</c>), so an
    /// IIPMooViewer page pointed at iipsrv works by changing only its server's address. Default iipsrv's usual
    /// <c>/fcgi-bin/iipsrv.fcgi</c>; empty turns the protocol off.
    /// </summary>
    public string IipPath { get; init; } = "/fcgi-bin/iipsrv.fcgi";

    /// <summary>
    /// A CSV of descriptive metadata, as <c>tessera manifest --csv</c> takes (an <c>identifier</c> column, then
    /// <c>label</c>, <c>summary</c>, <c>rights</c>, <c>requiredStatement</c>, <c>navDate</c> and metadata columns): the
    /// on-the-fly Manifests and Collection get the labels and metadata the generated ones would. Read again when it
    /// changes. Unset: labels from folder and file names.
    /// </summary>
    public string? ManifestCsv { get; init; }

    /// <summary>
    /// A second port (on the same host) for <c>/metrics</c>, which is then served there only, and that port answers
    /// nothing else: keeps the scrape off a public port. Unset: <c>/metrics</c> is on the main port.
    /// </summary>
    public int? MetricsPort { get; init; }

    /// <summary>The users file (<see cref="UsersFile"/>, written by <c>tessera user add</c>) for Tessera's own login page. Unset: no password logins.</summary>
    public string? Users { get; init; }

    /// <summary>Sessions and the login page: sliding expiry, attempts per address, the answer's delay, the cookie keys' folder.</summary>
    public LoginSettings Login { get; init; } = new();

    /// <summary>Sign-in through the institution's OpenID Connect provider. Off while <c>Oidc:Authority</c> is unset.</summary>
    public OidcSettings Oidc { get; init; } = new();

    /// <summary>A name (and groups) set by a trusted reverse proxy in a header, believed only from its addresses. Off while <c>TrustedProxy:Header</c> is unset.</summary>
    public TrustedProxySettings TrustedProxy { get; init; } = new();

    /// <summary>Identity-provider and proxy groups to Tessera role names (<see cref="RoleMapping"/>). Empty: groups are role names as they are.</summary>
    public IReadOnlyDictionary<string, string> Roles { get; init; } = new Dictionary<string, string>();

    /// <summary>The bytes of <see cref="AccessTokenKey"/>, or null when unset or not base64.</summary>
    public byte[]? AccessTokenKeyBytes
    {
        get
        {
            try
            {
                return AccessTokenKey is null ? null : Convert.FromBase64String(AccessTokenKey);
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }

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
        Remote = RemoteSources,
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
        else if (Imaging.Storage.RemoteSources.IsRemote(Root))
        {
            if (Imaging.Storage.RemoteSources.RootProblem(Root, "Root (--root)") is { } problem)
            {
                errors.Add(problem);
            }
        }
        else if (!Directory.Exists(Root))
        {
            errors.Add($"Expected an existing folder for Root (--root) but received \"{Root}\"");
        }

        errors.AddRange(RemoteSources.Validate());

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

        if (CacheS3 is not null && !Imaging.Storage.S3Location.TryParse(CacheS3, nameof(CacheS3), out _, out var cacheS3Problem))
        {
            errors.Add(cacheS3Problem!);
        }

        errors.AddRange(S3.Problems());

        if (LogFormat is not ("text" or "json"))
        {
            errors.Add($"Expected text or json for LogFormat (--log-format) but received \"{LogFormat}\"");
        }

        if (ShutdownTimeoutSeconds is < 0 or > 3600)
        {
            errors.Add($"Expected 0..3600 seconds for ShutdownTimeoutSeconds but received {ShutdownTimeoutSeconds}");
        }

        if (Rendering is not ("anyone" or "authorised" or "authorized"))
        {
            errors.Add($"Expected anyone or authorised for Rendering but received \"{Rendering}\"");
        }

        if (RenderRateLimit is < 0 or > 1_000_000)
        {
            errors.Add($"Expected 0..1000000 renders a minute for RenderRateLimit but received {RenderRateLimit}");
        }

        if (RenderRateBurst is < 1 or > 1_000_000)
        {
            errors.Add($"Expected 1..1000000 for RenderRateBurst but received {RenderRateBurst}");
        }

        if (IipPath.Length > 0 && (!IipPath.StartsWith('/') || IipPath.Contains('?') || IipPath.Contains('#') || IipPath.Contains("{")))
        {
            errors.Add($"Expected an absolute path without ?, # or {{ for IipPath (or empty to turn IIP off) but received \"{IipPath}\"");
        }

        if (MetricsPort is < 1 or > 65535)
        {
            errors.Add($"Expected 1..65535 for MetricsPort (--metrics-port) but received {MetricsPort}");
        }

        if (AdminToken is { Length: < 16 })
        {
            errors.Add("Expected an AdminToken of at least 16 characters (it guards the purge endpoint)");
        }

        errors.AddRange(AuthenticationValidation.Problems(this));

        if (ManifestCsv is not null)
        {
            // A bad file stops the start with its rows' problems (a bad edit later keeps the rows read before).
            errors.AddRange(Imaging.Presentation.MetadataCsvFile.Read(ManifestCsv, "ManifestCsv (--manifest-csv)").Errors);
        }

        if (Access is not null && Tessera.Server.Access.AccessRules.Load(Access).Problem is { } accessProblem)
        {
            errors.Add(accessProblem);
        }

        if (AccessTokenSeconds is < 1 or > 86_400)
        {
            errors.Add($"Expected 1..86400 seconds for AccessTokenSeconds but received {AccessTokenSeconds}");
        }

        if (AccessTokenKey is not null && AccessTokenKeyBytes is not { Length: >= 32 })
        {
            errors.Add("Expected base64 of 32 or more bytes for AccessTokenKey but received something else");
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
