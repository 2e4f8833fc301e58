using System.Diagnostics;
using Amazon.S3.Model;
using Tessera.Imaging.Caching;
using Tessera.Imaging.Rendering;
using Tessera.Imaging.Storage;
using S3Location = Tessera.Imaging.Storage.S3Location;
using Tessera.Testing;

namespace Tessera.Imaging.Tests.Caching;

/// <summary>The shared S3 tier against a real S3-protocol server (s3rver on 127.0.0.1), each cache with its own client as separate servers have.</summary>
public sealed class S3DerivativeCacheTests : IClassFixture<S3TestServer>
{
    private readonly S3TestServer _store;

    public S3DerivativeCacheTests(S3TestServer store) => _store = store;

    private static RenderedImage Entry(int seed, int size = 5000)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return new RenderedImage(bytes, "image/jpeg", seed + 10, seed + 20);
    }

    private static string Key(string identifier, int n) => $"{identifier}\nv1\nfull/{n},/0/default.jpg";

    // One client per cache, as separate servers have; held by the test class for its lifetime (disposed with the process).
    private readonly List<Amazon.S3.IAmazonS3> _clients = [];

    private S3DerivativeCache Cache(string prefix, Action<string>? warn = null)
    {
        var client = S3ClientFactory.Create(new S3Settings { ServiceUrl = _store.Endpoint.ToString(), ForcePathStyle = true, MaxRetries = 0 }, S3TestServer.Credentials);
        _clients.Add(client);
        return new S3DerivativeCache(client, S3Location.Parse($"s3://tessera-cache/{prefix}", "test"), warn);
    }

    [Fact]
    public async Task A_derivative_written_by_one_server_is_read_whole_by_another()
    {
        var prefix = Guid.NewGuid().ToString("N");
        using var first = Cache(prefix);
        using var second = Cache(prefix);
        var key = Key("maps/atlas.tif", 1);

        Assert.False(second.TryGet(key, out _));
        first.Set(key, Entry(1));
        await first.FlushAsync(TestContext.Current.CancellationToken);

        Assert.True(second.TryGet(key, out var image));
        Assert.Equal(Entry(1).Data, image.Data);
        Assert.Equal(("image/jpeg", 11, 21), (image.MediaType, image.Width, image.Height));
        Assert.Equal((1L, 1L, 0L), (second.Hits, second.Misses, second.Failures));

        // Stored under the identifier's folder with its media type, as the layout promises.
        using var client = _store.CreateClient();
        var head = await client.GetObjectMetadataAsync("tessera-cache", first.ObjectKey(key), TestContext.Current.CancellationToken);
        Assert.Equal("image/jpeg", head.Headers.ContentType);
        Assert.StartsWith(first.FolderOf("maps/atlas.tif"), first.ObjectKey(key), StringComparison.Ordinal);
        Assert.StartsWith(prefix + "/", first.ObjectKey(key), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_purge_on_one_server_removes_the_identifier_for_every_server_and_only_it()
    {
        var prefix = Guid.NewGuid().ToString("N");
        using var first = Cache(prefix);
        var warnings = new List<string>();
        using var second = Cache(prefix, warnings.Add);
        for (var n = 0; n < 3; n++)
        {
            first.Set(Key("a.tif", n), Entry(n));
        }

        first.Set(Key("b.tif", 0), Entry(7));
        await first.FlushAsync(TestContext.Current.CancellationToken);
        Assert.True(second.TryGet(Key("a.tif", 2), out _));

        var purged = second.Purge("a.tif");
        Assert.True(purged == 3, string.Join("\n", warnings));
        Assert.Empty(warnings);

        Assert.False(first.TryGet(Key("a.tif", 0), out _));
        Assert.False(first.TryGet(Key("a.tif", 2), out _));
        Assert.True(first.TryGet(Key("b.tif", 0), out var other));
        Assert.Equal(Entry(7).Data, other.Data);
    }

    [Fact]
    public async Task An_object_altered_in_the_bucket_is_a_miss_not_wrong_bytes()
    {
        var prefix = Guid.NewGuid().ToString("N");
        using var cache = Cache(prefix);
        var key = Key("c.tif", 1);
        cache.Set(key, Entry(1));
        await cache.FlushAsync(TestContext.Current.CancellationToken);

        // Someone writes other bytes over the entry (keeping the name): its recorded SHA-256 no longer matches.
        using var client = _store.CreateClient();
        await client.PutObjectAsync(new PutObjectRequest { BucketName = "tessera-cache", Key = cache.ObjectKey(key), InputStream = new MemoryStream(Entry(2).Data), UseChunkEncoding = false }, TestContext.Current.CancellationToken);

        Assert.False(cache.TryGet(key, out _));
        Assert.Equal(1, cache.Failures);
    }

    [Fact]
    public async Task A_tier_behind_memory_fills_memory_on_a_hit()
    {
        var prefix = Guid.NewGuid().ToString("N");
        using var writer = Cache(prefix);
        writer.Set(Key("d.tif", 1), Entry(1));
        await writer.FlushAsync(TestContext.Current.CancellationToken);

        using var shared = Cache(prefix);
        var memory = new MemoryDerivativeCache(1 << 20);
        var tiers = new TieredDerivativeCache(memory, shared);

        Assert.True(tiers.TryGet(Key("d.tif", 1), out _));
        Assert.Equal(1, memory.Count);
        Assert.True(tiers.TryGet(Key("d.tif", 1), out _));
        Assert.Equal(1, shared.Hits); // the second read was memory's
    }

    [Fact]
    public async Task A_read_from_a_store_that_does_not_answer_holds_no_thread_and_is_a_miss_after_the_timeout()
    {
        // Accepts connections and never answers: the read must be waiting on the network, not on a blocked thread.
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var endpoint = $"http://127.0.0.1:{((System.Net.IPEndPoint)silent.LocalEndpoint).Port}";
        using var client = S3ClientFactory.Create(new S3Settings { ServiceUrl = endpoint, ForcePathStyle = true, MaxRetries = 0 }, S3TestServer.Credentials);
        using var cache = new S3DerivativeCache(client, S3Location.Parse("s3://tessera-cache/silent", "test")) { Timeout = TimeSpan.FromMilliseconds(500) };
        var tiered = new TieredDerivativeCache(new MemoryDerivativeCache(1 << 20), cache);

        var clock = Stopwatch.StartNew();
        var pending = tiered.GetAsync(Key("a.tif", 1), TestContext.Current.CancellationToken);

        Assert.False(pending.IsCompleted, "the read returned only when the store had answered: it held the calling thread");
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(400), $"the call took {clock.Elapsed} before it returned");
        Assert.Null(await pending);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(10));
        Assert.Equal((0L, 1L), (cache.Hits, cache.Failures));
    }

    [Fact]
    public async Task An_awaited_read_through_the_tiers_returns_the_entry_and_fills_memory()
    {
        var prefix = Guid.NewGuid().ToString("N");
        using var writer = Cache(prefix);
        using var reader = Cache(prefix);
        var key = Key("maps/atlas.tif", 7);
        writer.Set(key, Entry(7));
        await writer.FlushAsync(TestContext.Current.CancellationToken);
        var memory = new MemoryDerivativeCache(1 << 20);
        var tiered = new TieredDerivativeCache(memory, reader);

        var found = await tiered.GetAsync(key, TestContext.Current.CancellationToken);

        Assert.Equal(Entry(7).Data, found?.Data);
        Assert.True(memory.TryGet(key, out var filled));
        Assert.Equal(Entry(7).Data, filled.Data);
        Assert.Null(await tiered.GetAsync(Key("maps/atlas.tif", 8), TestContext.Current.CancellationToken));
        Assert.Equal((1L, 1L), (reader.Hits, reader.Misses));
    }

    [Fact]
    public async Task A_stopped_store_gives_quick_misses_one_warning_and_no_exception()
    {
        var store = S3TestServer.Start("tessera-cache");
        var warnings = new List<string>();
        using var client = S3ClientFactory.Create(new S3Settings { ServiceUrl = store.Endpoint.ToString(), ForcePathStyle = true, MaxRetries = 0 }, S3TestServer.Credentials);
        using var cache = new S3DerivativeCache(
            client,
            S3Location.Parse("s3://tessera-cache/down", "test"),
            m => { lock (warnings) { warnings.Add(m); } });
        cache.Set(Key("e.tif", 1), Entry(1));
        await cache.FlushAsync(TestContext.Current.CancellationToken);
        Assert.True(cache.TryGet(Key("e.tif", 1), out _));

        store.Dispose();
        var clock = Stopwatch.StartNew();
        for (var n = 0; n < 20; n++)
        {
            Assert.False(cache.TryGet(Key("e.tif", n), out _));
            cache.Set(Key("e.tif", n + 100), Entry(n));
        }

        Assert.Equal(0, cache.Purge("e.tif"));
        await cache.FlushAsync(TestContext.Current.CancellationToken);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"20 reads of a stopped store took {clock.Elapsed}");
        Assert.True(cache.Failures >= 1);
        var warning = Assert.Single(warnings);
        Assert.Contains("s3://tessera-cache/down", warning, StringComparison.Ordinal);
    }
}
