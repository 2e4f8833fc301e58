using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using Tessera.Imaging.Pipeline;
using Tessera.Server.Hosting;
using Tessera.Server.Operations.Admin;

namespace Tessera.Server.Operations.Metrics;

/// <summary>
/// <c>/metrics</c> in the Prometheus text format, through OpenTelemetry's Prometheus exporter (the server's
/// <see cref="TesseraMetrics"/>, .NET's runtime meter: GC, heap, thread pool, and the process meter: CPU, memory), on
/// the main port or, when <c>MetricsPort</c> is set, on that port only (which then answers nothing else). Every other
/// request is counted on its way out, and fed to the admin view's <see cref="RequestWindow"/> when that is on.
/// </summary>
public static class MetricsRegistration
{
    public const string Path = "/metrics";

    /// <summary>
    /// .NET's and OpenTelemetry's gauges named <c>*.count</c> scrape as <c>*_count</c>, which Prometheus reserves for
    /// histograms and summaries (<c>promtool check metrics</c> refuses them): renamed the way Prometheus' own exporters
    /// name such gauges.
    /// </summary>
    private static readonly Dictionary<string, string> Renamed = new(StringComparer.Ordinal)
    {
        ["dotnet.assembly.count"] = "dotnet.assemblies",
        ["dotnet.process.cpu.count"] = "dotnet.process.cpus",
        ["dotnet.thread_pool.thread.count"] = "dotnet.thread_pool.threads",
        ["dotnet.timer.count"] = "dotnet.timers",
        ["process.thread.count"] = "process.threads",
        ["process.unix.file_descriptor.count"] = "process.open_fds",
    };

    /// <summary>Registers the meter, the exporter and, when the admin view is on, its request window.</summary>
    public static IServiceCollection AddTesseraMetrics(this IServiceCollection services, TesseraServerOptions options, ImagePipeline pipeline, Readiness readiness)
    {
        ArgumentNullException.ThrowIfNull(options);
#pragma warning disable CA2000 // Owner: the container, which disposes what its factories made (the meter, at stop).
        var metrics = new TesseraMetrics(pipeline, readiness);
#pragma warning restore CA2000
        services.AddSingleton(_ => metrics);
        if (options.AdminToken is not null)
        {
            services.AddSingleton(new RequestWindow());
        }

        services.AddOpenTelemetry().WithMetrics(builder => builder
            .AddMeter(TesseraMetrics.MeterName)
            // Meters are process-wide by name: another server in this process (tests) has its own "Tessera" meter, whose
            // numbers are not this server's.
            .AddView(instrument => instrument.Meter.Name == TesseraMetrics.MeterName && !ReferenceEquals(instrument.Meter, metrics.Meter)
                ? MetricStreamConfiguration.Drop
                : Renamed.TryGetValue(instrument.Name, out var name) ? new MetricStreamConfiguration { Name = name } : null)
            .AddRuntimeInstrumentation()
            .AddProcessInstrumentation()
            // Every scrape sees the counts of that moment (the default keeps an answer for 300 ms).
            .AddPrometheusExporter(exporter => exporter.ScrapeResponseCacheDurationMilliseconds = 0));
        return services;
    }

    /// <summary>Adds the scrape endpoint, the metrics port's guard and the request counting, in front of everything else.</summary>
    public static WebApplication UseTesseraMetrics(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<TesseraServerOptions>();
        var metrics = app.Services.GetRequiredService<TesseraMetrics>();
        var window = app.Services.GetService<RequestWindow>();
        if (options.MetricsPort is { } port)
        {
            // The metrics port answers /metrics only: it may be reachable from where the main port is not, or the reverse.
            app.Use((context, next) => context.Connection.LocalPort == port && context.Request.Path != Path ? NotFound(context) : next(context));
            app.UseOpenTelemetryPrometheusScrapingEndpoint(context => context.Connection.LocalPort == port && context.Request.Path == Path);
        }
        else
        {
            app.UseOpenTelemetryPrometheusScrapingEndpoint(context => context.Request.Path == Path);
        }

        var counting = new RequestCounting(metrics, window);
        app.Use(counting.InvokeAsync);
        return app;
    }

    private static Task NotFound(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return context.Response.WriteAsync($"404 Not Found: this port (MetricsPort) answers {Path} only\n");
    }
}
