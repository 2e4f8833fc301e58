using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Tessera.Server.Hosting;
using Tessera.Server.Operations;
using Tessera.Testing;
using Tessera.Vips;
using static Tessera.Server.Tests.Storage.RemoteSourcesFixture;

namespace Tessera.Server.Tests.Storage;

/// <summary>
/// Sources in a bucket and behind an HTTP origin, served by real servers: the same answers as from a folder, a stored
/// tile in one ranged GET, a region in one ranged GET per tile under it, other formats through the spool, versions by
/// ETag, and 404/502/504 for missing, failing and stalling stores.
/// </summary>
public sealed class RemoteSourceTests(RemoteSourcesFixture remote) : IClassFixture<RemoteSourcesFixture>
{
    private const string StoredTile = "/iiif/3/pyramid.tif/256,256,256,256/256,/0/default.jpg";
    private const string Region = "/iiif/3/pyramid.tif/100,100,400,300/400,/0/default.jpg";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IEnumerable<S3TestRequest> StoreGets(string name) => remote.Store.Requests.Where(r => r.IsGetOf(Bucket, $"{Prefix}/{name}"));

    [Fact]
    public async Task Info_json_from_a_bucket_and_an_origin_equals_the_folders_but_for_its_id()
    {
        var local = await InfoAsync(remote.Local, Pyramid);
        foreach (var client in new[] { remote.S3, remote.Http })
        {
            var info = await InfoAsync(client, Pyramid);
            foreach (var property in new[] { "width", "height", "sizes", "tiles" })
            {
                Assert.Equal(local.GetProperty(property).GetRawText(), info.GetProperty(property).GetRawText());
            }
        }
    }

    [Fact]
    public async Task A_stored_tile_from_a_bucket_is_the_folders_bytes_in_exactly_one_ranged_get()
    {
        await InfoAsync(remote.S3, Pyramid);
        remote.Store.ClearRequests();

        var tile = await BytesAsync(remote.S3, StoredTile);

        Assert.Equal(await BytesAsync(remote.Local, StoredTile), tile);
        var get = Assert.Single(StoreGets(Pyramid));
        Assert.NotNull(get.Range);
        Assert.Equal(206, get.Status);
        Assert.True(get.Bytes < tile.Length, $"Expected the tile's stored bytes only (the tables are merged in after) but the GET sent {get.Bytes} for a {tile.Length}-byte tile");
    }

    [Fact]
    public async Task A_stored_tile_from_an_origin_is_one_ranged_get_there()
    {
        await InfoAsync(remote.Http, Pyramid);
        remote.Origin.ClearRequests();

        var tile = await BytesAsync(remote.Http, StoredTile);

        Assert.Equal(await BytesAsync(remote.Local, StoredTile), tile);
        var get = Assert.Single(remote.Origin.Requests, r => r.Method == "GET");
        Assert.StartsWith("bytes=", get.Range, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_region_reads_only_the_tiles_it_covers_each_in_one_ranged_get()
    {
        await InfoAsync(remote.S3, Pyramid);
        remote.Store.ClearRequests();

        var region = await BytesAsync(remote.S3, Region);

        Assert.Equal(await BytesAsync(remote.Local, Region), region);
        var gets = StoreGets(Pyramid).ToList();
        Assert.Equal(4, gets.Count); // columns 0..1 by rows 0..1 of 256 px tiles under 100,100,400,300
        Assert.All(gets, g => Assert.NotNull(g.Range));
        Assert.Equal(4, gets.Select(g => g.Range).Distinct().Count());
    }

    [Fact]
    public async Task A_regions_tiles_are_fetched_from_a_slow_origin_several_at_once_with_the_folders_pixels()
    {
        await InfoAsync(remote.Http, Pyramid);
        remote.Origin.ClearRequests();
        remote.Origin.RangeDelay = TimeSpan.FromMilliseconds(300);
        try
        {
            var region = await BytesAsync(remote.Http, Region);

            Assert.Equal(await BytesAsync(remote.Local, Region), region);
            Assert.Equal(4, remote.Origin.Requests.Count(r => r.Method == "GET" && r.Range is not null));
            Assert.InRange(remote.Origin.MaxRangesInFlight, 2, Imaging.Storage.RemoteBytes.MaxConcurrentReads);
        }
        finally
        {
            remote.Origin.RangeDelay = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task A_jpeg_is_fetched_once_into_the_spool_and_served_from_there()
    {
        const string full = "/iiif/3/photo.jpg/full/600,/0/default.jpg";
        var first = await BytesAsync(remote.S3, full);
        remote.Store.ClearRequests();
        var second = await BytesAsync(remote.S3, "/iiif/3/photo.jpg/0,0,300,300/150,/0/default.jpg");

        Assert.Equal(await BytesAsync(remote.Local, full), first);
        Assert.Empty(StoreGets(Photo)); // the spooled copy answered; the store was only asked for its HEAD
        Assert.Contains(remote.Store.Requests, r => r.Method == "HEAD");
        Assert.NotEmpty(second);
        Assert.Contains(Directory.EnumerateFiles(remote.Spool), f => f.EndsWith(".jpg", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_replaced_object_with_a_new_etag_is_served_anew()
    {
        using var client = remote.Store.CreateClient();
        await PutAsync(client, "changing.png", Png(200, 100));
        Assert.Equal(200, (await InfoAsync(remote.S3, "changing.png")).GetProperty("width").GetInt32());

        await PutAsync(client, "changing.png", Png(300, 100));

        Assert.Equal(300, (await InfoAsync(remote.S3, "changing.png")).GetProperty("width").GetInt32());
    }

    [Fact]
    public async Task A_missing_object_is_404_from_a_bucket_and_an_origin()
    {
        foreach (var client in new[] { remote.S3, remote.Http })
        {
            using var response = await client.GetAsync("/iiif/3/missing.jpg/info.json", Ct);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public async Task An_origin_that_drops_connections_is_502_and_one_that_stalls_is_504_within_the_timeout()
    {
        try
        {
            remote.Origin.Mode = OriginMode.Down;
            using (var down = await remote.Http.GetAsync("/iiif/3/photo.jpg/info.json", Ct))
            {
                Assert.Equal(HttpStatusCode.BadGateway, down.StatusCode);
            }

            remote.Origin.Mode = OriginMode.Stalling;
            var clock = Stopwatch.StartNew();
            using (var stalled = await remote.Http.GetAsync("/iiif/3/photo.jpg/info.json", Ct))
            {
                Assert.Equal(HttpStatusCode.GatewayTimeout, stalled.StatusCode);
            }

            Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(10)); // RemoteTimeoutSeconds = 2
        }
        finally
        {
            remote.Origin.Mode = OriginMode.Normal;
        }

        using var recovered = await remote.Http.GetAsync("/iiif/3/photo.jpg/info.json", Ct);
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
    }

    [Fact]
    public async Task A_store_that_goes_down_is_502_and_not_ready()
    {
        var store = S3TestServer.Start("masters");
        using (var put = store.CreateClient())
        {
            await PutAsync(put, Photo, await File.ReadAllBytesAsync(Path.Combine(remote.Folder, Photo), Ct));
        }

        using var client = await remote.StartAsync(new TesseraServerOptions { Root = $"s3://{Bucket}/{Prefix}", S3 = StoreSettings(store), RemoteTimeoutSeconds = 5 });
        using (var ready = await client.GetAsync("/readyz", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        store.Dispose();

        using var response = await client.GetAsync("/iiif/3/photo.jpg/info.json", Ct);
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        await Task.Delay(Readiness.Freshness + TimeSpan.FromMilliseconds(100), Ct); // /readyz answers are kept a second
        using var notReady = await client.GetAsync("/readyz", Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
    }

    [Fact]
    public async Task The_home_page_and_the_collection_list_the_bucket_in_natural_order()
    {
        var home = await remote.S3.GetStringAsync("/", Ct);
        Assert.Contains("pyramid.tif", home, StringComparison.Ordinal);
        Assert.Contains("sub/dir/nested.jpg", home, StringComparison.Ordinal);
        Assert.DoesNotContain("Not everything is listed", home, StringComparison.Ordinal);

        var collection = await remote.S3.GetStringAsync("/iiif/presentation/collection.json", Ct);
        Assert.Contains("photo.jpg", collection, StringComparison.Ordinal);
        Assert.Contains("pyramid.tif", collection, StringComparison.Ordinal);
        Assert.True(collection.IndexOf("photo.jpg", StringComparison.Ordinal) < collection.IndexOf("pyramid.tif", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_home_page_of_an_origin_says_it_cannot_be_listed()
    {
        var home = await remote.Http.GetStringAsync("/", Ct);
        Assert.Contains("an HTTP origin cannot be listed", home, StringComparison.Ordinal);
    }

    private static async Task<JsonElement> InfoAsync(HttpClient client, string identifier)
    {
        var body = await client.GetStringAsync($"/iiif/3/{Uri.EscapeDataString(identifier)}/info.json", Ct);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task<byte[]> BytesAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, Ct);
        var body = await response.Content.ReadAsByteArrayAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"{client.BaseAddress}{path}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)}");
        return body;
    }

    private static byte[] Png(int width, int height)
    {
        using var black = VipsOperation.Image("black", ("width", width), ("height", height), ("bands", 3));
        using var grey = black.Cast(BandFormat.UChar);
        return grey.SaveToBuffer("pngsave_buffer");
    }
}
