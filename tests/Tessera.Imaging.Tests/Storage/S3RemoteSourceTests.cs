using Amazon.S3.Model;
using Tessera.Imaging.Sources;
using Tessera.Imaging.Storage;
using S3Location = Tessera.Imaging.Storage.S3Location;
using Tessera.Imaging.Tiff;
using Tessera.Testing;
using Tessera.Vips;

namespace Tessera.Imaging.Tests.Storage;

/// <summary>The S3 store and resolver against a real S3-protocol server (s3rver).</summary>
public sealed class S3RemoteSourceTests : IClassFixture<S3TestServer>, IDisposable
{
    private const string Bucket = "tessera-sources";
    private readonly S3TestServer _store;
    private readonly string _spool = Directory.CreateTempSubdirectory("tessera-s3-spool-").FullName;

    public S3RemoteSourceTests(S3TestServer store) => _store = store;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_remote_pyramids_directories_are_read_in_a_few_ranged_gets_and_equal_the_files()
    {
        var file = Path.Combine(_spool, "local.tif");
        using (var black = VipsOperation.Image("black", ("width", 3000), ("height", 2000), ("bands", 3)))
        {
            black.SaveToFile("tiffsave", file, ("tile", true), ("tile_width", 256), ("tile_height", 256), ("pyramid", true), ("compression", "jpeg"));
        }

        using var client = _store.CreateClient();
        await client.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "dirs/p.tif", FilePath = file, UseChunkEncoding = false }, Ct);
        using var s3 = new S3RemoteStore(client, S3Location.Parse($"s3://{Bucket}/dirs", "root"), TimeSpan.FromSeconds(10));
        var info = await s3.HeadAsync("p.tif", Ct);
        _store.ClearRequests();

        var remote = TiffDirectoryReader.Read(new BlockCachedBytes(new RemoteBytes(s3, info)), Ct);

        var local = TiffDirectoryReader.Read(file);
        Assert.Equal(local.Select(d => (d.ImageWidth, d.ImageLength, d.TileOffsets.Length)), remote.Select(d => (d.ImageWidth, d.ImageLength, d.TileOffsets.Length)));
        var gets = _store.Requests.Where(r => r.IsGetOf(Bucket, "dirs/p.tif")).ToList();
        Assert.InRange(gets.Count, 1, 3);
        Assert.All(gets, g => Assert.NotNull(g.Range));
    }

    [Fact]
    public async Task A_bucket_is_listed_in_natural_order_images_only_and_bounded()
    {
        using var client = _store.CreateClient();
        foreach (var key in new[] { "page10.jpg", "page2.jpg", "page1.jpg", "sub/a.tif", "notes.txt", ".hidden/x.jpg", "page3.png" })
        {
            await client.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "listing/" + key, ContentBody = "x", UseChunkEncoding = false }, Ct);
        }

        using var store = new S3RemoteStore(client, S3Location.Parse($"s3://{Bucket}/listing", "root"), TimeSpan.FromSeconds(10));
        var resolver = new RemoteSourceResolver(store, new RemoteSpool(_spool, 1 << 20), RemoteSourceSettings.Default);
        _store.ClearRequests();

        var listing = resolver.List(Ct);
        Assert.True(listing.Truncated is null, listing.Truncated);

        Assert.Equal(["page1.jpg", "page2.jpg", "page3.png", "page10.jpg", "sub/a.tif"], listing);
        Assert.Null(listing.Truncated);
        // Seven keys: one page (paging past a page: S3PagingTests).
        Assert.Equal(1, _store.Requests.Count(r => r.Method == "GET" && r.Path.Contains("list-type=2", StringComparison.Ordinal)));
        Assert.Null(resolver.RootProblem());

        var bounded = new RemoteSourceResolver(store, new RemoteSpool(_spool, 1 << 20), RemoteSourceSettings.Default) { Listing = ListingLimits.Default with { MaxEntries = 3 } };
        Assert.Equal("the listing stopped after 3 entries (ListingMaxEntries)", bounded.List(Ct).Truncated);
    }

    [Fact]
    public void A_missing_bucket_is_a_root_problem_naming_it_and_its_objects_are_not_found()
    {
        using var client = _store.CreateClient();
        using var store = new S3RemoteStore(client, S3Location.Parse("s3://no-such-bucket", "root"), TimeSpan.FromSeconds(10));
        var resolver = new RemoteSourceResolver(store, new RemoteSpool(_spool, 1 << 20), RemoteSourceSettings.Default);
        Assert.StartsWith("Expected a readable bucket at s3://no-such-bucket but", resolver.RootProblem(), StringComparison.Ordinal);
        Assert.False(resolver.Resolve("a.jpg").TryGetValue(out _, out var error));
        Assert.Equal(404, error.Status); // a HEAD's 404 has no body to tell a missing bucket from a missing key
    }

    public void Dispose() => Directory.Delete(_spool, recursive: true);
}
