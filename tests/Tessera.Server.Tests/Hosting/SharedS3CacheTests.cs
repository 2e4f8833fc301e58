using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Imaging.Caching;
using Tessera.Imaging.Storage;
using Tessera.Server.Hosting;
using Tessera.Server.Tests.Fixtures;
using Tessera.Testing;

namespace Tessera.Server.Tests.Hosting;

/// <summary>
/// Real servers (Kestrel on 127.0.0.1) sharing <c>CacheS3</c> on a real S3-protocol server (s3rver): what one renders the
/// other serves from the bucket; a purge on one is a miss on the other; a store that stops costs nothing but misses.
/// </summary>
public sealed class SharedS3CacheTests : IClassFixture<S3TestServer>, IAsyncDisposable
{
    private const string Token = "shared-cache-admin-token-0123";
    private readonly S3TestServer _store;
    private readonly string _root = Directory.CreateTempSubdirectory("tessera-s3cache-root-").FullName;
    private readonly string _outside = Directory.CreateTempSubdirectory("tessera-s3cache-outside-").FullName;
    private readonly List<WebApplication> _apps = [];

    public SharedS3CacheTests(S3TestServer store)
    {
        _store = store;
        TestImages.Create(_root, _outside);

        // The SDK's standard chain gives the credentials, as in production; s3rver accepts only its own pair.
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", S3TestServer.AccessKey);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", S3TestServer.SecretKey);
    }

    private async Task<(HttpClient Client, S3DerivativeCache Shared)> StartAsync(S3TestServer store, string prefix, CacheMode local)
    {
        var options = new TesseraServerOptions
        {
            Root = _root,
            Cache = local,
            CacheDirectory = Directory.CreateTempSubdirectory("tessera-s3cache-disk-").FullName,
            CacheS3 = $"s3://tessera-cache/{prefix}",
            S3 = new S3Settings { ServiceUrl = store.Endpoint.ToString(), ForcePathStyle = true, MaxRetries = 0 },
            AdminToken = Token,
        };
        var app = TesseraServer.Build(options, ["http://127.0.0.1:0"]);
        await app.StartAsync(TestContext.Current.CancellationToken);
        _apps.Add(app);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (new HttpClient { BaseAddress = new Uri(address) }, app.Services.GetRequiredService<S3DerivativeCache>());
    }

    private static async Task<(HttpStatusCode Status, string Origin, byte[] Body)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
        return (response.StatusCode, response.Headers.TryGetValues("X-Tessera-Origin", out var values) ? values.Single() : "", await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_second_server_with_empty_local_caches_serves_from_the_bucket_and_a_purge_on_the_first_makes_it_miss()
    {
        var prefix = Guid.NewGuid().ToString("N");
        var (first, firstShared) = await StartAsync(_store, prefix, CacheMode.Both);
        var (second, _) = await StartAsync(_store, prefix, CacheMode.None);
        var path = $"/iiif/3/{TestImages.Photo}/full/300,/0/default.jpg";

        var rendered = await GetAsync(first, path);
        await firstShared.FlushAsync(TestContext.Current.CancellationToken);
        var shared = await GetAsync(second, path);

        Assert.Equal((HttpStatusCode.OK, "rendered"), (rendered.Status, rendered.Origin));
        Assert.Equal((HttpStatusCode.OK, "cache"), (shared.Status, shared.Origin));
        Assert.Equal(rendered.Body, shared.Body);

        using var purge = new HttpRequestMessage(HttpMethod.Delete, $"/admin/cache/{TestImages.Photo}");
        purge.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using var purged = await first.SendAsync(purge, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, purged.StatusCode);

        var afterPurge = await GetAsync(second, path);
        Assert.Equal((HttpStatusCode.OK, "rendered"), (afterPurge.Status, afterPurge.Origin));
        first.Dispose();
        second.Dispose();
    }

    [Fact]
    public async Task A_stopped_store_leaves_every_request_answered_200()
    {
        var store = S3TestServer.Start("tessera-cache");
        var (client, shared) = await StartAsync(store, "down", CacheMode.Memory);
        var first = await GetAsync(client, $"/iiif/3/{TestImages.Photo}/full/200,/0/default.jpg");
        await shared.FlushAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, first.Status);

        await store.DisposeAsync();
        var clock = Stopwatch.StartNew();
        for (var width = 100; width < 120; width++)
        {
            var response = await GetAsync(client, $"/iiif/3/{TestImages.Photo}/full/{width},/0/default.jpg");
            Assert.Equal((HttpStatusCode.OK, "rendered"), (response.Status, response.Origin));
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"20 renders with the store down took {clock.Elapsed}");
        Assert.True(shared.Failures >= 1);
        client.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        Directory.Delete(_root, recursive: true);
        Directory.Delete(_outside, recursive: true);
    }
}
