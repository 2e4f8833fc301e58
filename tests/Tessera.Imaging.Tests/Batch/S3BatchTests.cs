using Amazon.S3;
using Amazon.S3.Model;
using Tessera.Imaging.Batch;
using Tessera.Imaging.Storage;
using Tessera.Imaging.Tiff;
using Tessera.Testing;
using Tessera.Vips;

namespace Tessera.Imaging.Tests.Batch;

/// <summary>Batch work to and from a real S3-protocol server (s3rver on 127.0.0.1), counted from the store's request log.</summary>
public sealed class S3BatchTests : IClassFixture<S3TestServer>, IDisposable
{
    private readonly S3TestServer _store;
    private readonly MasterFixtures _fixtures = new("tessera-s3-batch-");
    private readonly AmazonS3Client _client;
    private readonly BatchStorage _storage;
    private readonly string _prefix = Guid.NewGuid().ToString("N");

    public S3BatchTests(S3TestServer store)
    {
        _store = store;
        _client = S3ClientFactory.Create(new S3Settings { ServiceUrl = store.Endpoint.ToString(), ForcePathStyle = true, MaxRetries = 0 }, S3TestServer.Credentials);
        _storage = new BatchStorage(() => _client) { MultipartThreshold = 1 << 20 };
    }

    private string Out => $"s3://tessera-output/{_prefix}";

    private async Task<SortedDictionary<string, long>> ObjectsAsync(string bucket = "tessera-output")
    {
        var found = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = _prefix + "/" };
        do
        {
            var page = await _client.ListObjectsV2Async(request, TestContext.Current.CancellationToken);
            foreach (var o in page.S3Objects ?? [])
            {
                found[o.Key[(_prefix.Length + 1)..]] = o.Size ?? 0;
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
        while (request.ContinuationToken is not null);
        return found;
    }

    private async Task<byte[]> GetAsync(string relative, string bucket = "tessera-output")
    {
        using var response = await _client.GetObjectAsync(bucket, $"{_prefix}/{relative}", TestContext.Current.CancellationToken);
        using var memory = new MemoryStream();
        await response.ResponseStream.CopyToAsync(memory, TestContext.Current.CancellationToken);
        return memory.ToArray();
    }

    /// <summary>Waits until the store's request log (read from its output) stops growing, so counts are of finished work.</summary>
    private async Task SettleAsync()
    {
        var count = -1;
        while (_store.Requests.Count != count)
        {
            count = _store.Requests.Count;
            await Task.Delay(300, TestContext.Current.CancellationToken);
        }
    }

    private int Puts() => _store.Requests.Count(r => r.Method is "PUT" or "POST" && r.Path.Contains(_prefix, StringComparison.Ordinal));

    [Fact]
    public async Task Convert_to_a_bucket_writes_valid_pyramids_multipart_when_large_and_a_rerun_uploads_nothing()
    {
        _fixtures.Photo("a.jpg", 600);
        _fixtures.Photo("deep/b.png", 2600, "pngsave"); // ~1.5 MB of deflated TIFF past the 1 MiB threshold: multipart
        var options = new ConvertOptions { Output = Out, Jobs = 2, Quality = 95 };

        var summary = await new MasterConverter(options, _storage).RunAsync([_fixtures.Root], cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(summary.Succeeded, string.Join("\n", summary.Failures));
        var objects = await ObjectsAsync();
        Assert.Equal(["a.tif", "deep/b.tif"], objects.Keys);
        Assert.Contains(_store.Requests, r => r.Path.Contains("uploadId", StringComparison.Ordinal) || r.Path.Contains("uploads", StringComparison.Ordinal));
        foreach (var name in objects.Keys)
        {
            var file = _fixtures.Out(name.Replace('/', '-'));
            await File.WriteAllBytesAsync(file, await GetAsync(name), TestContext.Current.CancellationToken);
            Assert.All(TiffDirectoryReader.Read(file).Where(d => !d.IsSubIfd), d => Assert.True(d.IsTiled));
            using var image = VipsImage.NewFromFile(file);
            Assert.Equal(name == "a.tif" ? 600 : 2600, image.Width);
            Assert.InRange(image.Average(), 1, 254); // decodes to the end: the whole object arrived
        }

        await SettleAsync();
        var puts = Puts();
        var again = await new MasterConverter(options, _storage).RunAsync([_fixtures.Root], cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal((0L, 2L), (again.Done, again.Skipped));
        await SettleAsync();
        Assert.Equal(puts, Puts());
    }

    [Fact]
    public async Task Seed_to_a_bucket_writes_the_same_files_as_to_a_folder_and_an_interrupted_run_resumes_with_one_listing_per_image()
    {
        _fixtures.Pyramid("pyramid.tif", 1500);
        _fixtures.Photo("sub/photo.jpg", 400);
        SeedOptions Options(string output) => new() { Root = _fixtures.Root, Output = output, BaseUrl = "https://example.org/iiif", Jobs = 1 };
        string[] ids = ["pyramid.tif", "sub/photo.jpg"];
        await new TileSeeder(Options(_fixtures.Out("folder"))).RunAsync(ids, cancellationToken: TestContext.Current.CancellationToken);
        var expected = MasterFixtures.Files(_fixtures.Out("folder"));

        // Stopped after a few files, as a killed job is.
        using var stop = new CancellationTokenSource();
        var progress = new StopAfter(10, stop);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new TileSeeder(Options(Out), _storage).RunAsync(ids, progress, stop.Token));
        var partial = await ObjectsAsync();
        Assert.InRange(partial.Count, 10, expected.Count - 1);

        await SettleAsync();
        _store.ClearRequests();
        var resumed = await new TileSeeder(Options(Out), _storage).RunAsync(ids, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(resumed.Succeeded, string.Join("\n", resumed.Failures));
        Assert.Equal(partial.Count, resumed.Skipped);
        Assert.Equal(expected.Count - partial.Count, resumed.Done);

        // What existed was learnt from one listing per image: no request per tile.
        await SettleAsync();
        var listings = _store.Requests.Where(r => r.Method == "GET" && r.Path.Contains("list-type=2", StringComparison.Ordinal)).Select(r => r.Path).ToList();
        Assert.True(listings.Count == ids.Length, string.Join("\n", listings));
        Assert.DoesNotContain(_store.Requests, r => r.Method == "HEAD");
        var objects = await ObjectsAsync();
        Assert.Equal(expected, new SortedSet<string>(objects.Keys, StringComparer.Ordinal));
        foreach (var name in expected.Where(n => n.EndsWith(".jpg", StringComparison.Ordinal)).Take(20))
        {
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(_fixtures.Out("folder"), name), TestContext.Current.CancellationToken), await GetAsync(name));
        }

        await SettleAsync();
        _store.ClearRequests();
        var third = await new TileSeeder(Options(Out), _storage).RunAsync(ids, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal((0L, (long)expected.Count), (third.Done, third.Skipped));
        await SettleAsync();
        Assert.Equal(0, Puts());
    }

    [Fact]
    public async Task Process_reads_masters_from_one_bucket_and_writes_derivatives_to_another_sharded_and_resumable()
    {
        foreach (var (name, width) in new[] { ("1994.18.001.jpg", 900), ("objects/2001.4.tif", 700), ("1994.18.002.jpg", 500) })
        {
            var file = _fixtures.Photo(name, width, name.EndsWith(".tif", StringComparison.Ordinal) ? "tiffsave" : "jpegsave");
            await _client.PutObjectAsync(new PutObjectRequest { BucketName = "tessera-sources", Key = $"{_prefix}/{name}", FilePath = file, UseChunkEncoding = false }, TestContext.Current.CancellationToken);
        }

        var instructions = new Dictionary<string, Imaging.Processing.Instruction>
        {
            ["b"] = Imaging.Processing.InstructionSet.Parse("""{"b": {"size": "!300,300"}}""")["b"],
            ["s"] = Imaging.Processing.InstructionSet.Parse("""{"s": {"region": "-1,-1,100,100"}}""")["s"],
        };
        var masters = await _storage.ListMastersAsync($"s3://tessera-sources/{_prefix}", MasterConverter.IsMasterName, TestContext.Current.CancellationToken);
        var ids = masters.Select(m => m.RelativeName).ToList();
        Assert.Equal(["1994.18.001.jpg", "1994.18.002.jpg", "objects/2001.4.tif"], ids.Order(StringComparer.Ordinal));
        ProcessOptions Options(Shard shard) => new() { Root = $"s3://tessera-sources/{_prefix}", Output = Out, Instructions = instructions, Jobs = 2, Shard = shard, UriTemplate = "{id}/{label}.{format}" };

        var reports = new List<System.Text.Json.Nodes.JsonObject>();
        for (var i = 0; i < 2; i++)
        {
            var (summary, report) = await new DerivativeProcessor(Options(new Shard(i, 2)), _storage).RunAsync(ids, cancellationToken: TestContext.Current.CancellationToken);
            Assert.True(summary.Succeeded, string.Join("\n", summary.Failures));
            reports.Add(report);
        }

        // The shards are disjoint and together complete.
        var reported = reports.SelectMany(r => r.Select(p => p.Key)).ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal), reported.Order(StringComparer.Ordinal));
        var objects = await ObjectsAsync();
        Assert.Equal(ids.SelectMany(id => new[] { $"{id}/b.jpg", $"{id}/s.jpg" }).Order(StringComparer.Ordinal), objects.Keys);
        using (var small = VipsImage.NewFromBuffer(await GetAsync("1994.18.001.jpg/b.jpg")))
        {
            Assert.Equal((300, 200), (small.Width, small.Height));
        }

        // A rerun renders nothing and still reports every derivative's size (kept with the object).
        await SettleAsync();
        var puts = Puts();
        var (rerun, rerunReport) = await new DerivativeProcessor(Options(Shard.All), _storage).RunAsync(ids, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(ids.Count * 2, rerun.Skipped);
        await SettleAsync();
        Assert.Equal(puts, Puts());
        Assert.Equal(300, (int)rerunReport["1994.18.001.jpg"]!["dimensions"]!["b"]![0]!);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.GetTempPath(), "tessera-masters-*"));
    }

    public void Dispose()
    {
        _client.Dispose();
        _fixtures.Dispose();
    }

    private sealed class StopAfter(int count, CancellationTokenSource stop) : IBatchProgress
    {
        private int _seen;

        public void AddWork(long items)
        {
        }

        public void Report(BatchOutcome outcome, string item, string? message = null)
        {
            if (Interlocked.Increment(ref _seen) == count)
            {
                stop.Cancel();
            }
        }
    }
}
