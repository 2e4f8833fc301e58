using System.Text.Json.Nodes;
using Tessera.Core.Iiif;
using Tessera.Imaging.Batch;
using Tessera.Testing;
using Tessera.Vips;

namespace Tessera.Imaging.Tests.Batch;

public sealed class TileSeederTests : IDisposable
{
    private readonly MasterFixtures _fixtures = new("tessera-batch-");

    public TileSeederTests()
    {
        _fixtures.Pyramid("pyramid.tif", 700);
        _fixtures.Photo("sub/photo.jpg", 300);
    }

    private SeedOptions Options(string output, Shard? shard = null, ApiVersion version = ApiVersion.V3) => new()
    {
        Root = _fixtures.Root,
        Output = _fixtures.Out(output),
        Version = version,
        BaseUrl = "https://example.org/iiif/",
        Shard = shard ?? Shard.All,
        Jobs = 2,
    };

    [Fact]
    public async Task Writes_info_json_and_every_tile_as_a_decodable_jpeg()
    {
        var summary = await new TileSeeder(Options("out")).RunAsync(["pyramid.tif", "sub/photo.jpg"]);

        Assert.True(summary.Succeeded, string.Join("\n", summary.Failures));
        var files = MasterFixtures.Files(_fixtures.Out("out"));
        Assert.Equal(summary.Done, files.Count);
        Assert.Contains("pyramid.tif/info.json", files);
        Assert.Contains("sub/photo.jpg/info.json", files);
        Assert.Contains("pyramid.tif/0,0,256,256/256,256/0/default.jpg", files);
        Assert.Contains("pyramid.tif/512,256,188,211/188,211/0/default.jpg", files);
        Assert.DoesNotContain(files, f => f.StartsWith(StagingArea.FolderName, StringComparison.Ordinal));

        using var edge = VipsImage.NewFromFile(Path.Combine(_fixtures.Out("out"), "pyramid.tif/512,256,188,211/188,211/0/default.jpg"));
        Assert.Equal((188, 211), (edge.Width, edge.Height));

        var info = JsonNode.Parse(File.ReadAllText(Path.Combine(_fixtures.Out("out"), "sub/photo.jpg/info.json")))!;
        Assert.Equal("https://example.org/iiif/sub%2Fphoto.jpg", (string?)info["id"]);
        Assert.Equal("level0", (string?)info["profile"]);
        Assert.Equal(256, (int?)info["tiles"]![0]!["width"]);
        Assert.Null(info["extraFeatures"]);
    }

    [Fact]
    public async Task Version_2_writes_width_only_sizes_and_a_level0_profile()
    {
        var summary = await new TileSeeder(Options("v2", version: ApiVersion.V2)).RunAsync(["pyramid.tif"]);

        Assert.True(summary.Succeeded);
        var files = MasterFixtures.Files(_fixtures.Out("v2"));
        Assert.Contains("pyramid.tif/0,0,256,256/256,/0/default.jpg", files);
        var info = JsonNode.Parse(File.ReadAllText(Path.Combine(_fixtures.Out("v2"), "pyramid.tif/info.json")))!;
        Assert.Equal("http://iiif.io/api/image/2/level0.json", (string?)info["profile"]![0]);
        Assert.Equal("https://example.org/iiif/pyramid.tif", (string?)info["@id"]);
    }

    [Fact]
    public async Task Shards_are_disjoint_and_their_union_is_the_whole_tree()
    {
        await new TileSeeder(Options("whole")).RunAsync(["pyramid.tif", "sub/photo.jpg"]);
        var whole = MasterFixtures.Files(_fixtures.Out("whole"));

        var parts = new List<SortedSet<string>>();
        for (var i = 0; i < 3; i++)
        {
            var summary = await new TileSeeder(Options($"part{i}", new Shard(i, 3))).RunAsync(["pyramid.tif", "sub/photo.jpg"]);
            Assert.True(summary.Succeeded);
            parts.Add(MasterFixtures.Files(_fixtures.Out($"part{i}")));
        }

        Assert.All(parts, p => Assert.NotEmpty(p));
        Assert.Equal(whole.Count, parts.Sum(p => p.Count));
        Assert.Equal(whole, new SortedSet<string>(parts.SelectMany(p => p), StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_rerun_skips_what_exists_restores_what_is_missing_and_clears_leftovers()
    {
        var output = _fixtures.Out("resume");
        var first = await new TileSeeder(Options("resume")).RunAsync(["pyramid.tif"]);
        var missing = Path.Combine(output, "pyramid.tif/256,0,256,256/256,256/0/default.jpg");
        var original = File.ReadAllBytes(missing);
        File.Delete(missing);
        var leftovers = Path.Combine(output, StagingArea.FolderName, Shard.All.Tag);
        Directory.CreateDirectory(leftovers);
        File.WriteAllBytes(Path.Combine(leftovers, "killed.part"), [0xFF, 0xD8]);

        var second = await new TileSeeder(Options("resume")).RunAsync(["pyramid.tif"]);

        Assert.Equal(1, second.Done);
        Assert.Equal(first.Done - 1, second.Skipped);
        Assert.Equal(original, File.ReadAllBytes(missing));
        Assert.False(Directory.Exists(Path.Combine(output, StagingArea.FolderName)));
    }

    [Fact]
    public async Task An_unknown_or_unreadable_identifier_is_reported_and_the_rest_are_seeded()
    {
        File.WriteAllText(Path.Combine(_fixtures.Root, "broken.jpg"), "not a jpeg");

        var summary = await new TileSeeder(Options("mixed")).RunAsync(["broken.jpg", "pyramid.tif", "nope.tif"]);

        Assert.Equal(2, summary.Failed);
        Assert.Contains(summary.Failures, f => f.Item == "broken.jpg");
        Assert.Contains("pyramid.tif/info.json", MasterFixtures.Files(_fixtures.Out("mixed")));
    }

    public void Dispose() => _fixtures.Dispose();
}
