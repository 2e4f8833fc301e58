using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Tessera.Core.Iiif;
using Tessera.Core.Info;
using Tessera.Imaging.Caching;
using Tessera.Imaging.Pipeline;
using Tessera.Imaging.Presentation;
using Tessera.Server.Access;
using Tessera.Server.Authentication;
using Tessera.Imaging.Storage;
using Tessera.Server.Endpoints;
using Tessera.Server.Http;
using Tessera.Server.Legacy;
using Tessera.Server.Operations;
using Tessera.Server.Operations.Metrics;
using Tessera.Server.Presentation;
using Tessera.Server.Viewer;

namespace Tessera.Server.Hosting;

/// <summary>Builds the Tessera web application: one registration entry point for services, one for endpoints.</summary>
public static class TesseraServer
{
    /// <summary>Registers the pipeline and everything the endpoints need, from validated options.</summary>
    /// <exception cref="InvalidOperationException">The options are invalid; the message lists every problem.</exception>
    [SuppressMessage("Reliability", "CA2000", Justification = "Owner of the memory releaser: the process. It is registered as an instance, which the container holds but does not dispose (it disposes only what it creates); its timer runs as long as the server.")]
    public static IServiceCollection AddTessera(this IServiceCollection services, TesseraServerOptions options)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Invalid Tessera options:\n  " + string.Join("\n  ", errors));
        }

        var infoOptions = new InfoOptions
        {
            Rights = options.Rights,
            PreferredFormats = [.. options.PreferredFormats.Select(f => ImageFormats.TryParse(f, out var format) ? format : ImageFormat.Jpg)],
        };
        var warnings = new StartupWarnings();
        services.AddSingleton(warnings);
        var cache = CreateCache(options, warnings, out var diskCache);
        if (diskCache is not null)
        {
            // Closed when the application has stopped (MapTessera), after the last request: queued writes land whole.
            services.AddSingleton(diskCache);
        }

        if (options.CacheS3 is not null)
        {
            cache = WithSharedTier(cache, options, warnings, services);
        }

        services.AddSingleton(options);
        services.AddSingleton(infoOptions);

        // The one construction the batch commands use too, so `tessera seed` with the same settings writes these bytes.
        var pipeline = PipelineFactory.Create(options.PipelineSettings() with { Profile = infoOptions.Profile, Cache = cache });
        services.AddSingleton(pipeline);

        // Memory is given back every half second while the server works (large derivatives, libvips' freed buffers).
        services.AddSingleton(new MemoryReleaser(pipeline, TimeSpan.FromMilliseconds(500)));
        services.AddSingleton<PublicUrls>();
        services.AddSingleton(new PresentationSource(pipeline.Catalog));
        services.AddSingleton(provider => new ManifestMetadata(options.ManifestCsv, provider.GetRequiredService<ILogger<ManifestMetadata>>()));
        services.AddSingleton<ListingReport>();
        var readiness = new Readiness(pipeline, diskCache);
        services.AddSingleton(readiness);
        services.AddSingleton<SourceFailureLog>();
        services.AddHttpContextAccessor();
        services.AddSingleton<RenderAdmission>();
        services.AddTesseraMetrics(options, pipeline, readiness);
        services.AddTesseraAuthentication(options);
        if (options.Access is not null || RenderAdmission.AdvertisesAccess(options))
        {
            // Validate() has loaded the file once already; a file changed since is checked again here. Without a file
            // but with renders kept for signed-in users, no rules: the IIIF auth services exist so clients find the login.
            var (rules, problem) = options.Access is null ? (new AccessRules([]), null) : AccessRules.Load(options.Access);
            services.AddSingleton(new AccessTokens(options.AccessTokenKeyBytes, TimeSpan.FromSeconds(options.AccessTokenSeconds)));
            services.AddSingleton(rules ?? throw new InvalidOperationException("Invalid Tessera options:\n  " + problem));
            services.AddSingleton<AccessPolicy>();
            if (rules.HasRedactions)
            {
                // Asked once per plan, and only because some rule redacts (docs/access.md, "Redaction").
                pipeline.Redactions = rules.RedactionsOf;
            }
        }

        return services;
    }

    /// <summary>
    /// The shared S3 tier after memory and disk; closed when the application has stopped, as the disk cache is (queued
    /// writes are sent). A method of its own so that a server without it never loads the AWS SDK (its JIT-compiled
    /// caller would: about 2 MB of a server's memory).
    /// </summary>
    [SuppressMessage("Reliability", "CA2000", Justification = "Owner of the S3 tier: the container, which disposes it at stop.")]
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static IDerivativeCache WithSharedTier(IDerivativeCache? cache, TesseraServerOptions options, StartupWarnings warnings, IServiceCollection services)
    {
        var shared = new S3DerivativeCache(S3ClientFactory.Create(options.S3), S3Location.Parse(options.CacheS3!, nameof(options.CacheS3)), warnings.Warn);
        services.AddSingleton(shared);
        return cache switch
        {
            null => shared,
            TieredDerivativeCache tiers => new TieredDerivativeCache([.. tiers.Tiers, shared]),
            _ => new TieredDerivativeCache(cache, shared),
        };
    }

    [SuppressMessage("Reliability", "CA2000", Justification = "Owner of the caches: the caller, AddTessera, which registers the cache it gets; the disk cache inside a tiered one is held by it for the life of the process (the tiered cache is not disposable).")]
    private static IDerivativeCache? CreateCache(TesseraServerOptions options, StartupWarnings warnings, out DiskDerivativeCache? disk)
    {
        const long MiB = 1024 * 1024;
        IDerivativeCache Memory() => new MemoryDerivativeCache(options.MemoryCacheMegabytes * MiB);
        disk = options.Cache is CacheMode.Disk or CacheMode.Both ? new DiskDerivativeCache(options.ResolvedCacheDirectory, options.DiskCacheMegabytes * MiB, warnings.Warn) : null;
        return options.Cache switch
        {
            CacheMode.Memory => Memory(),
            CacheMode.Disk => disk,
            CacheMode.Both => new TieredDerivativeCache(Memory(), disk!),
            _ => null,
        };
    }

    /// <summary>Maps the home page and viewers, the Image API, Presentation documents and the legacy tile formats.</summary>
    public static WebApplication MapTessera(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Services.GetService<StartupWarnings>()?.Attach(app.Services.GetRequiredService<ILoggerFactory>());
        app.UseTesseraMetrics();
        if (app.Services.GetRequiredService<TesseraServerOptions>().AccessLog)
        {
            app.UseAccessLog();
        }

        app.Use(ErrorResults.NoStoreOnErrors);
        if (app.Services.GetRequiredService<RenderAdmission>() is { IsActive: true } admission)
        {
            // Asked by the pipeline before each new render (never for a stored tile or a cached image).
            app.Services.GetRequiredService<ImagePipeline>().RenderGate = admission.Admit;
        }

        app.UseTesseraAuthentication();
        app.Use(AccessMiddleware.Enforce);
        ServerLifecycle.Watch(app);
        app.MapHome();
        app.MapViewer();
        app.MapImageApi();
        app.MapPresentation();
        app.MapLegacyTiles();
        app.MapAdmin();
        app.MapLogin();
        if (app.Services.GetService<AccessPolicy>() is not null)
        {
            app.MapAuth();
        }

        return app;
    }

    /// <summary>A ready application listening on <paramref name="urls"/> (e.g. <c>http://127.0.0.1:8182</c>).</summary>
    public static WebApplication Build(TesseraServerOptions options, IEnumerable<string> urls, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        // The server's own events (access lines, start and stop) are information; the framework's stay at warnings.
        builder.Logging.AddFilter("Tessera.Server", LogLevel.Information);
        if (options.LogFormat == "json")
        {
            builder.Logging.AddConsole(console => console.FormatterName = JsonLineFormatter.FormatterName);
            builder.Logging.AddConsoleFormatter<JsonLineFormatter, ConsoleFormatterOptions>();
        }
        else
        {
            builder.Logging.AddSimpleConsole();
        }

        // A stop (SIGTERM, Ctrl+C) stops accepting at once and waits this long for requests in flight.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(options.ShutdownTimeoutSeconds));
        builder.WebHost.UseUrls([.. urls, .. MetricsUrl(options, urls)]);
        builder.Services.AddTessera(options);
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapTessera();
        return app;
    }

    /// <summary>The metrics port's address: the host of the first address, on <c>MetricsPort</c>.</summary>
    private static IEnumerable<string> MetricsUrl(TesseraServerOptions options, IEnumerable<string> urls)
    {
        if (options.MetricsPort is not { } port || urls.FirstOrDefault() is not { } first)
        {
            return [];
        }

        var colon = first.LastIndexOf(':');
        var tail = first[(colon + 1)..].TrimEnd('/');
        return tail.Length > 0 && tail.All(char.IsAsciiDigit) ? [$"{first[..colon]}:{port}"] : [$"{first.TrimEnd('/')}:{port}"];
    }
}
