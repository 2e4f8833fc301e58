using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Imaging.Caching;
using Tessera.Server.Hosting;
using Tessera.Server.Tests.Fixtures;
using Tessera.Testing;
using Tessera.Vips;

namespace Tessera.Server.Tests.Hosting;

/// <summary>The disk cache's failures reach the server's log (the cache is built before logging exists).</summary>
public sealed class DiskCacheWarningTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("tessera-cache-warning-root-").FullName;
    private readonly string _cache = Directory.CreateTempSubdirectory("tessera-cache-warning-").FullName;

    [Fact]
    public async Task A_write_the_disk_cache_cannot_make_is_logged_and_the_image_is_served_anyway()
    {
        using (var photo = VipsOperation.Image("thumbnail", ("filename", Samples.PathOf(Samples.Sunset)), ("width", 200)))
        {
            photo.SaveToFile("jpegsave", Path.Combine(_root, "photo.jpg"));
        }

        // A file where the identifier's cache folder should go: every write for it fails.
        await File.WriteAllTextAsync(Path.Combine(_cache, DerivativeKey.Hash("photo.jpg")[..2]), "in the way", TestContext.Current.CancellationToken);
        using var logs = new CapturedLogs();
        await using var app = TesseraServer.Build(
            new TesseraServerOptions { Root = _root, Cache = CacheMode.Disk, CacheDirectory = _cache },
            ["http://127.0.0.1:0"],
            builder => builder.Logging.AddProvider(logs).AddFilter<CapturedLogs>("Tessera", LogLevel.Debug));
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var client = new HttpClient { BaseAddress = new Uri(address) };

        using var response = await client.GetAsync("/iiif/3/photo.jpg/full/64,/0/default.jpg", TestContext.Current.CancellationToken);

        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}");
        for (var waited = 0; waited < 100 && !logs.Entries.Any(e => e.Message.Contains("Disk cache", StringComparison.Ordinal)); waited++)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("Disk cache: writing an entry failed", StringComparison.Ordinal));
        Assert.Empty(Directory.EnumerateFiles(_cache, "*.tmp", SearchOption.AllDirectories));
    }

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        Directory.Delete(_cache, recursive: true);
    }
}
