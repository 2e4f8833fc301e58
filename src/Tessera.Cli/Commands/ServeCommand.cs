using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Tessera.Server.Hosting;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera serve</c>: the IIIF Image API over every image under a folder.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var root = new Option<string?>("--root") { Description = "Folder of images to serve, or s3://bucket[/prefix] or https://host/prefix/ (see docs/storage.md). Identifiers are paths relative to it, extension included (sub/photo.tif is requested as sub%2Fphoto.tif)." };
        var port = new Option<int>("--port", "-p") { Description = "TCP port to listen on.", DefaultValueFactory = _ => 8182 };
        var host = new Option<string>("--host") { Description = "Address to listen on: 127.0.0.1 for this machine only, 0.0.0.0 for every interface.", DefaultValueFactory = _ => "127.0.0.1" };
        var baseUrl = new Option<string?>("--base-url") { Description = "Public URL of the server (e.g. https://images.example.org), used for ids in info.json and canonical links. Default: taken from each request." };
        var trustForwarded = new Option<bool>("--trust-forwarded-headers") { Description = "Believe X-Forwarded-Proto/-Host/-Prefix (only behind a proxy that sets them)." };
        var maxWidth = new Option<int?>("--max-width") { Description = "Widest image returned, in pixels (default 10000)." };
        var maxHeight = new Option<int?>("--max-height") { Description = "Tallest image returned, in pixels (default 10000)." };
        var maxArea = new Option<long?>("--max-area") { Description = "Most pixels in one returned image (default 50000000)." };
        var maxSourcePixels = new Option<long?>("--max-source-pixels") { Description = "Most pixels a source may declare; more is refused with 413 (default 16000000000)." };
        var maxDecodeMegabytes = new Option<int?>("--max-decode-megabytes") { Description = "Most MiB a source's decoder may need at once (a progressive JPEG, interlaced PNG or GIF is decoded whole); more is refused with 413 (default 256)." };
        var pdfDpi = new Option<double?>("--pdf-dpi") { Description = "DPI PDF pages are rendered at, 1..2400: it makes a page's pixel size, which the limits judge (default 150)." };
        var maxStreamedPixels = new Option<long?>("--max-streamed-pixels") { Description = "Most pixels one request may decode from a sequential source (baseline JPEG, PNG, strip TIFF: every row down to the region's bottom); more is refused with 413 (default 512000000)." };
        var rights = new Option<string?>("--rights") { Description = "Rights URI advertised in info.json (Creative Commons or RightsStatements.org)." };
        var cacheMaxAge = new Option<int?>("--cache-max-age") { Description = "Seconds clients and CDNs may keep responses (default 86400; 0 = no-cache)." };
        var cache = new Option<CacheMode?>("--cache") { Description = "Derivative caches: none, memory, disk or both (default both). 'none' measures uncached speed." };
        var cacheS3 = new Option<string?>("--cache-s3") { Description = "s3://bucket/prefix: a derivative cache shared by every server naming it, after memory and disk (purges reach it)." };
        var cacheDir = new Option<string?>("--cache-dir") { Description = "Folder of the disk cache (default: tessera-cache in the system's temporary folder)." };
        var colour = new Option<string?>("--colour") { Description = "Sources with a profile other than sRGB: convert (default: send sRGB, one LittleCMS transform per profile) or embed (send the stored pixels with the profile attached)." };
        var kernel = new Option<string?>("--kernel") { Description = "Resampling kernel: lanczos3 (default, sharpest), cubic, linear (fastest of the smooth ones), mitchell, lanczos2, nearest." };
        var logFormat = new Option<string?>("--log-format") { Description = "How the log is written: text (default) or json (one JSON object per line, for log shippers)." };
        var accessLog = new Option<bool>("--access-log") { Description = "Log one line per request: identifier, route kind, status, duration, origin." };
        var shutdownTimeout = new Option<int?>("--shutdown-timeout") { Description = "Seconds requests in flight may take to finish after SIGTERM or Ctrl+C (default 25); the server stops accepting at once." };
        var rendering = new Option<string?>("--rendering") { Description = "Who may make new renders: anyone (default) or authorised (anonymous clients get cached images, stored tiles and the tiles and sizes info.json lists; other renders answer 401)." };
        var renderRateLimit = new Option<int?>("--render-rate-limit") { Description = "New renders a client may start per minute (0, the default: no limit); over it, 429 with Retry-After." };
        var metricsPort = new Option<int?>("--metrics-port") { Description = "Serve /metrics (Prometheus text format) on this port only, instead of the main port; it answers nothing else." };
        var users = new Option<string?>("--users") { Description = "Users file of the login page (tessera user add writes it): names, roles, password hashes." };
        var access = new Option<string?>("--access") { Description = "A JSON file of access rules (public, login, degraded, hidden by identifier glob; see docs/access.md and deploy/access.sample.json). Enables the IIIF Authorization Flow services." };
        var manifestCsv = new Option<string?>("--manifest-csv") { Description = "A CSV of descriptive metadata, as tessera manifest --csv takes: the on-the-fly Manifests get its labels and metadata; read again when it changes." };
        var config = new Option<FileInfo?>("--config") { Description = "A JSON settings file (see appsettings.sample.json). Environment variables like Tessera__Root also apply; flags win." };

        var command = new Command(
            "serve",
            """
            Serve the IIIF Image API 3.0 (/iiif/3/...) and 2.1 (/iiif/2/...) for every image under --root.

            Examples:
              tessera serve --root ./samples
              tessera serve --root /data --host 0.0.0.0 --port 8080 --base-url https://images.example.org
              tessera serve --root ./samples --users users.json
              curl http://127.0.0.1:8182/iiif/3/photo.jpg/info.json
            """)
        {
            root, port, host, baseUrl, trustForwarded, maxWidth, maxHeight, maxArea, maxSourcePixels, maxDecodeMegabytes, maxStreamedPixels, pdfDpi, rights, cacheMaxAge, cache, cacheDir, cacheS3, kernel, colour, logFormat, accessLog, shutdownTimeout, rendering, renderRateLimit, metricsPort, users, access, manifestCsv, config,
        };

        command.SetAction(async (result, cancellationToken) =>
        {
            var configuration = new ConfigurationBuilder();
            if (result.GetValue(config) is { } file)
            {
                if (!file.Exists)
                {
                    await Console.Error.WriteLineAsync($"Expected an existing settings file for --config but received \"{file.FullName}\"");
                    return 2;
                }

                configuration.AddJsonFile(file.FullName, optional: false);
            }

            configuration.AddEnvironmentVariables();
            var options = configuration.Build().GetSection("Tessera").Get<TesseraServerOptions>() ?? new TesseraServerOptions();
            options = options with
            {
                Root = result.GetValue(root) ?? options.Root,
                BaseUrl = result.GetValue(baseUrl) ?? options.BaseUrl,
                TrustForwardedHeaders = result.GetValue(trustForwarded) || options.TrustForwardedHeaders,
                MaxWidth = result.GetValue(maxWidth) ?? options.MaxWidth,
                MaxHeight = result.GetValue(maxHeight) ?? options.MaxHeight,
                MaxArea = result.GetValue(maxArea) ?? options.MaxArea,
                MaxSourcePixels = result.GetValue(maxSourcePixels) ?? options.MaxSourcePixels,
                MaxDecodeMegabytes = result.GetValue(maxDecodeMegabytes) ?? options.MaxDecodeMegabytes,
                MaxStreamedPixels = result.GetValue(maxStreamedPixels) ?? options.MaxStreamedPixels,
                PdfDpi = result.GetValue(pdfDpi) ?? options.PdfDpi,
                Rights = result.GetValue(rights) ?? options.Rights,
                CacheMaxAgeSeconds = result.GetValue(cacheMaxAge) ?? options.CacheMaxAgeSeconds,
                Cache = result.GetValue(cache) ?? options.Cache,
                CacheDirectory = result.GetValue(cacheDir) ?? options.CacheDirectory,
                CacheS3 = result.GetValue(cacheS3) ?? options.CacheS3,
                ResampleKernel = result.GetValue(kernel) ?? options.ResampleKernel,
                Colour = result.GetValue(colour) ?? options.Colour,
                LogFormat = result.GetValue(logFormat) ?? options.LogFormat,
                AccessLog = result.GetValue(accessLog) || options.AccessLog,
                ShutdownTimeoutSeconds = result.GetValue(shutdownTimeout) ?? options.ShutdownTimeoutSeconds,
                Rendering = result.GetValue(rendering) ?? options.Rendering,
                RenderRateLimit = result.GetValue(renderRateLimit) ?? options.RenderRateLimit,
                MetricsPort = result.GetValue(metricsPort) ?? options.MetricsPort,
                Users = result.GetValue(users) ?? options.Users,
                Access = result.GetValue(access) is { } accessFile ? Path.GetFullPath(accessFile) : options.Access,
                ManifestCsv = result.GetValue(manifestCsv) is { } csvFile ? Path.GetFullPath(csvFile) : options.ManifestCsv,
            };

            var errors = options.Validate();
            if (errors.Count > 0)
            {
                foreach (var error in errors)
                {
                    await Console.Error.WriteLineAsync(error);
                }

                return 2;
            }

            var url = $"http://{FormatHost(result.GetValue(host)!)}:{result.GetValue(port)}";
            await using var app = TesseraServer.Build(options, [url]);
            await app.StartAsync(cancellationToken);
            if (options.LogFormat == "text")
            {
                // JSON logs share standard output, one object per line: the server's Started event says this there.
                Console.WriteLine($"Tessera serving {(Imaging.Storage.RemoteSources.IsRemote(options.Root) ? options.Root : Path.GetFullPath(options.Root))}");
                Console.WriteLine($"  viewer and image list  {url}/");
                Console.WriteLine($"  IIIF Image API         {url}/iiif/3/{{id}}/info.json  (2.1: {url}/iiif/2/...)");
                Console.WriteLine($"  Presentation           {url}/iiif/presentation/collection.json");
                Console.WriteLine($"  Prometheus metrics     {(options.MetricsPort is { } mp ? $"http://{FormatHost(result.GetValue(host)!)}:{mp}" : url)}/metrics");
                if (options.AdminToken is not null)
                {
                    Console.WriteLine($"  admin page             {url}/admin");
                }

                Console.WriteLine("Ctrl+C stops.");
            }

            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    private static string FormatHost(string host) => host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
}
