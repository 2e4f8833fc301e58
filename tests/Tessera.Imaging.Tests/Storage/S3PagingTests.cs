using Amazon.S3;
using Amazon.S3.Model;
using Tessera.Imaging.Batch;
using Tessera.Imaging.Caching;
using Tessera.Imaging.Rendering;
using Tessera.Imaging.Sources;
using Tessera.Imaging.Storage;
using Tessera.Testing;
using S3Location = Tessera.Imaging.Storage.S3Location;

namespace Tessera.Imaging.Tests.Storage;

/// <summary>
/// Every S3 listing follows continuation tokens to its end, against a real S3-protocol server (s3rver) with a page of
/// 10 keys, so 25 objects take three pages instead of 2,500 objects taking three of S3's 1,000: the source listing, batch
/// masters, a batch output's scan, and the shared cache's purge.
/// </summary>
public sealed class S3PagingTests : IClassFixture<S3TestServer>, IDisposable
{
    private const int PageSize = 10;
    private const int Objects = 25;
    private readonly S3TestServer _store;
    private readonly AmazonS3Client _client;
    private readonly string _prefix = Guid.NewGuid().ToString("N");
    private readonly string _spool = Directory.CreateTempSubdirectory("tessera-s3-paging-").FullName;

    public S3PagingTests(S3TestServer store)
    {
        _store = store;
        _client = store.CreateClient();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>ListObjectsV2 requests made under the prefix, and how many of them carried a continuation token.</summary>
    private (int Pages, int Continued) Listings(string bucket)
    {
        var lists = _store.Requests.Where(r => r.Method == "GET" && r.Path.StartsWith($"/{bucket}", StringComparison.Ordinal) && r.Path.Contains("list-type=2", StringComparison.Ordinal) && r.Path.Contains(_prefix, StringComparison.Ordinal)).ToList();
        Assert.All(lists, l => Assert.Equal(200, l.Status));
        return (lists.Count, lists.Count(l => l.Path.Contains("continuation-token=", StringComparison.Ordinal)));
    }

    private async Task PutAsync(string bucket, IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            await _client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = "x", UseChunkEncoding = false }, Ct);
        }
    }

    [Fact]
    public async Task A_bucket_of_more_keys_than_a_page_is_listed_whole_in_natural_order_over_three_pages()
    {
        var names = Enumerable.Range(1, Objects).Select(i => $"page{i}.jpg").ToList();
        await PutAsync("tessera-sources", names.Select(n => $"{_prefix}/{n}"));
        using var store = new S3RemoteStore(_client, S3Location.Parse($"s3://tessera-sources/{_prefix}", "root"), TimeSpan.FromSeconds(10)) { PageSize = PageSize };
        var resolver = new RemoteSourceResolver(store, new RemoteSpool(_spool, 1 << 20), RemoteSourceSettings.Default);
        _store.ClearRequests();

        var listing = resolver.List(Ct);

        Assert.True(listing.Truncated is null, listing.Truncated);
        Assert.Equal(names, listing); // page1, page2, ... page10, ... page25: natural order across pages
        Assert.Equal((3, 2), Listings("tessera-sources"));
    }

    [Fact]
    public async Task Batch_masters_and_an_outputs_scan_follow_every_page()
    {
        await PutAsync("tessera-sources", Enumerable.Range(1, Objects).Select(i => $"{_prefix}/m{i:00}.tif"));
        await PutAsync("tessera-output", Enumerable.Range(1, Objects).Select(i => $"{_prefix}/done/{i:00}.jpg"));
        var storage = new BatchStorage(() => _client) { ListPageSize = PageSize };
        _store.ClearRequests();

        var masters = await storage.ListMastersAsync($"s3://tessera-sources/{_prefix}", _ => true, Ct);
        Assert.Equal(Enumerable.Range(1, Objects).Select(i => $"m{i:00}.tif"), masters.Select(m => m.RelativeName));
        Assert.Equal((3, 2), Listings("tessera-sources"));

        using var sink = storage.OpenOutput($"s3://tessera-output/{_prefix}", Shard.All);
        await sink.ScanAsync("done/", Ct);
        Assert.All(Enumerable.Range(1, Objects), i => Assert.NotNull(sink.Find($"done/{i:00}.jpg")));
        Assert.Equal((3, 2), Listings("tessera-output"));
    }

    [Fact]
    public async Task A_purge_of_more_entries_than_a_page_deletes_them_all()
    {
        using var cache = new S3DerivativeCache(_client, S3Location.Parse($"s3://tessera-cache/{_prefix}", "test")) { ListPageSize = PageSize };
        for (var i = 0; i < Objects; i++)
        {
            cache.Set($"atlas.tif\nv1\nfull/{i + 1},/0/default.jpg", new RenderedImage([(byte)i, 1, 2, 3], "image/jpeg", i + 1, 1));
        }

        await cache.FlushAsync(Ct);
        _store.ClearRequests();

        Assert.Equal(Objects, cache.Purge("atlas.tif"));

        var left = await _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "tessera-cache", Prefix = _prefix }, Ct);
        Assert.Empty(left.S3Objects ?? []);
        Assert.Equal(0, cache.Failures);
    }

    public void Dispose()
    {
        _client.Dispose();
        Directory.Delete(_spool, recursive: true);
    }
}
