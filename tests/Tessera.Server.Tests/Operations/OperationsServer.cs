using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Hosting;
using Tessera.Testing;
using Tessera.Vips;

namespace Tessera.Server.Tests.Operations;

/// <summary>
/// A server of a test's own (its counters must not move with other tests' requests) over a 1200-pixel pyramid TIFF with
/// 256-pixel JPEG tiles and the same photograph as a JPEG, both caches on, metrics on a port of their own and the admin
/// view on.
/// </summary>
public sealed class OperationsServer : IAsyncDisposable
{
    public const string Pyramid = "pyramid.tif";
    public const string Photo = "photo.jpg";
    public const string AdminToken = "ops-admin-token-0123456789";

    private readonly WebApplication _app;

    private OperationsServer(WebApplication app, string root, string cache, int metricsPort)
    {
        _app = app;
        Root = root;
        Cache = cache;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First(a => !a.EndsWith($":{metricsPort}", StringComparison.Ordinal));
        BaseAddress = new Uri(address);
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        Metrics = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{metricsPort}"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public string Root { get; }

    public string Cache { get; }

    public Uri BaseAddress { get; }

    /// <summary>A client of the main port.</summary>
    public HttpClient Client { get; }

    /// <summary>A client of the metrics port.</summary>
    public HttpClient Metrics { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a server; <paramref name="configure"/> may change its options, <paramref name="builder"/> add to it.</summary>
    public static async Task<OperationsServer> StartAsync(Func<TesseraServerOptions, TesseraServerOptions>? configure = null, Action<WebApplicationBuilder>? builder = null)
    {
        var root = Directory.CreateTempSubdirectory("tessera-ops-root-").FullName;
        var cache = Directory.CreateTempSubdirectory("tessera-ops-cache-").FullName;
        using (var thumbnail = VipsOperation.Image("thumbnail", ("filename", Samples.PathOf(Samples.Sunset)), ("width", 1200)))
        using (var photo = thumbnail.CopyMemory())
        {
            photo.SaveToFile("jpegsave", Path.Combine(root, Photo), ("Q", 90));
            photo.SaveToFile("tiffsave", Path.Combine(root, Pyramid), ("tile", true), ("tile_width", 256), ("tile_height", 256), ("pyramid", true), ("compression", "jpeg"), ("Q", 90));
            Directory.CreateDirectory(Path.Combine(root, "box"));
            photo.SaveToFile("jpegsave", Path.Combine(root, "box", "a.jpg"), ("Q", 80));
            photo.SaveToFile("jpegsave", Path.Combine(root, "box", "b.jpg"), ("Q", 80));
        }

        var metricsPort = FreePort();
        var options = new TesseraServerOptions { Root = root, CacheDirectory = cache, Cache = CacheMode.Both, MetricsPort = metricsPort, AdminToken = AdminToken };
        var app = TesseraServer.Build(configure?.Invoke(options) ?? options, ["http://127.0.0.1:0"], builder);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new OperationsServer(app, root, cache, metricsPort);
    }

    /// <summary>The current scrape of the metrics port.</summary>
    public async Task<Scrape> ScrapeAsync()
    {
        using var response = await Metrics.GetAsync("/metrics", TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"/metrics: {(int)response.StatusCode} {text}");
        return Scrape.Parse(text);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Metrics.Dispose();
        await _app.DisposeAsync();
        Directory.Delete(Root, recursive: true);
        Directory.Delete(Cache, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
