using Tessera.Core.Planning;
using Tessera.Imaging.Batch;
using Tessera.Imaging.Pipeline;
using Tessera.Imaging.Sources;
using Tessera.Imaging.Tests.Pipeline;
using Tessera.Testing;

namespace Tessera.Imaging.Tests.Sources;

/// <summary>Source limits through a real pipeline and a real converter: bombs refused from their headers, legit masters served.</summary>
public sealed class SourceLimitsTests : IDisposable
{
    private readonly MasterFixtures _files = new("tessera-limits-");

    public SourceLimitsTests() => BatchPipeline.ConfigureVips(1);

    public void Dispose() => _files.Dispose();

    private ImagePipeline Pipeline(SourceLimits? limits = null) =>
        PipelineFactory.Create(new ImagePipelineSettings { Root = _files.Root, SourceLimits = limits ?? SourceLimits.Default, MaxConcurrentRenders = 1 });

    [Theory]
    [InlineData("progressive-bomb.jpg", "MaxDecodeMegabytes")]
    [InlineData("interlaced-bomb.png", "MaxDecodeMegabytes")]
    [InlineData("gif-bomb.gif", "MaxDecodeMegabytes")]
    [InlineData("strip-bomb.tif", "MaxSourcePixels")]
    public void A_bomb_is_refused_from_its_header_with_the_limit_named(string name, string setting)
    {
        HostileFiles.ProgressiveJpegBomb(_files.Root);
        HostileFiles.InterlacedPngBomb(_files.Root);
        HostileFiles.GifBomb(_files.Root);
        HostileFiles.TiffStripBomb(_files.Root);

        var outcome = Pipeline().Catalog.Describe(name);

        Assert.False(outcome.TryGetValue(out _, out var error));
        Assert.Equal(413, error.Status);
        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
        Assert.Contains("tessera convert", error.Message, StringComparison.Ordinal);
        Assert.Contains($"\"{name}\"", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_files.Root, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_progressive_jpeg_is_served_under_the_limit_and_refused_over_it()
    {
        // 1200 px wide, 4:2:0: about 2.4 MB of coefficients.
        _files.Photo("progressive.jpg", 1200, "jpegsave", ("interlace", true), ("subsample_mode", "on"));

        var served = await PipelineRequests.Image(Pipeline(), "progressive.jpg", "0,0,100,100", "max");
        Assert.Equal(100, served.Image.Width);

        var outcome = await PipelineRequests.Outcome(Pipeline(new SourceLimits { MaxDecodeMegabytes = 1 }), "progressive.jpg", "0,0,100,100", "max");
        Assert.False(outcome.TryGetValue(out _, out var error));
        Assert.Equal(413, error.Status);
        Assert.Contains("progressive JPEG", error.Message, StringComparison.Ordinal);
        Assert.Contains("over the limit of 1 MiB (MaxDecodeMegabytes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tall.jpg")]
    [InlineData("tall.png")]
    [InlineData("strips.tif")]
    public async Task A_sequential_source_refuses_the_regions_that_decode_too_many_rows(string name)
    {
        var saver = Path.GetExtension(name) switch { ".jpg" => "jpegsave", ".png" => "pngsave", _ => "tiffsave" };
        var path = _files.Photo(name, 2000, saver);
        var height = new Func<int>(() => { using var image = Vips.VipsImage.NewFromFile(path); return image.Height; })();

        // 2000 px wide: 400 rows are 800 kpx. A region in the top 400 rows passes; one at the bottom does not.
        var pipeline = Pipeline(new SourceLimits { MaxStreamedPixels = 800_000 });
        var top = await PipelineRequests.Image(pipeline, name, "0,0,256,256", "max");
        Assert.Equal(256, top.Image.Width);

        var bottom = await PipelineRequests.Outcome(pipeline, name, $"0,{height - 256},256,256", "max");
        Assert.False(bottom.TryGetValue(out _, out var error));
        Assert.Equal(413, error.Status);
        Assert.Contains("MaxStreamedPixels", error.Message, StringComparison.Ordinal);

        // The same source's info.json is not refused: the limit is per request.
        Assert.True(pipeline.Catalog.Describe(name).TryGetValue(out _, out _));
    }

    [Fact]
    public async Task Jpeg_shrink_on_load_counts_the_rows_of_the_level_read()
    {
        var path = _files.Photo("photo.jpg", 2000, "jpegsave");
        using var image = Vips.VipsImage.NewFromFile(path);

        // The whole image at 1/8 is 250 px wide: every row of that level is well under the limit, full resolution is not.
        var pipeline = Pipeline(new SourceLimits { MaxStreamedPixels = (long)image.Width * image.Height / 4 });
        var small = await PipelineRequests.Image(pipeline, "photo.jpg", "full", "250,");
        Assert.Equal(250, small.Image.Width);

        var large = await PipelineRequests.Outcome(pipeline, "photo.jpg", "full", "max");
        Assert.False(large.TryGetValue(out _, out var error));
        Assert.Equal(413, error.Status);
    }

    [Fact]
    public async Task Convert_reports_a_bomb_and_converts_the_rest()
    {
        HostileFiles.ProgressiveJpegBomb(_files.Root);
        HostileFiles.TiffStripBomb(_files.Root);
        _files.Photo("good.jpg", 600);
        var converter = new MasterConverter(new ConvertOptions { Output = _files.Out("out"), Jobs = 1 });

        var summary = await converter.RunAsync([_files.Root]);

        Assert.Equal(2, summary.Failed);
        Assert.Equal(1, summary.Done);
        Assert.True(File.Exists(Path.Combine(_files.Out("out"), "good.tif")));
        Assert.Contains(summary.Failures, f => f.Item.EndsWith("progressive-bomb.jpg", StringComparison.Ordinal) && f.Message.Contains("MaxDecodeMegabytes", StringComparison.Ordinal));
        Assert.Contains(summary.Failures, f => f.Item.EndsWith("strip-bomb.tif", StringComparison.Ordinal) && f.Message.Contains("MaxSourcePixels", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Seed_reports_a_bomb_and_seeds_the_rest()
    {
        HostileFiles.ProgressiveJpegBomb(_files.Root);
        _files.Photo("good.jpg", 300);
        var seeder = new TileSeeder(new SeedOptions { Root = _files.Root, Output = _files.Out("seed"), Jobs = 1 });

        var summary = await seeder.RunAsync(["progressive-bomb.jpg", "good.jpg"]);

        Assert.Equal(1, summary.Failed);
        Assert.True(summary.Done > 1);
        Assert.True(File.Exists(Path.Combine(_files.Out("seed"), "good.jpg", "info.json")));
    }

    [Theory]
    [InlineData(SourceLoader.Jpeg, "JPEG")]
    [InlineData(SourceLoader.Tiff, "TIFF in strips")]
    public void The_defaults_serve_any_region_of_the_20000_px_bench_master(SourceLoader loader, string format)
    {
        // The bench's master is 20000 × 20000; its last rows at full resolution are the most a region can cost (400 Mpx).
        var levels = loader == SourceLoader.Jpeg
            ? new[] { new PyramidLevel(0, 20000, 20000), new PyramidLevel(1, 10000, 10000), new PyramidLevel(2, 5000, 5000), new PyramidLevel(3, 2500, 2500) }
            : [new PyramidLevel(0, 20000, 20000)];
        var info = new SourceInfo(20000, 20000, levels);
        var source = new SourceDescription(new ResolvedSource("bench", "/bench", DateTimeOffset.UnixEpoch, 1), info, loader, "x")
        {
            Header = new SourceHeader(format, 20000, 20000, SourceDecoding.Sequential, 1 << 20),
        };

        Assert.Null(SourceLimits.Default.Refuse(source.Header));
        foreach (var (region, size) in new[] { ("19744,19744,256,256", "256,"), ("0,19000,20000,1000", "max"), ("full", "max") })
        {
            var request = Core.Iiif.ImageRequestParser.Parse(Core.Iiif.ApiVersion.V3, "bench", region, size, "0", "default.jpg");
            Assert.True(request.TryGetValue(out var parsed, out _));
            Assert.True(ImagePlanner.Plan(parsed, info, ServerLimits.Default).TryGetValue(out var plan, out _));
            Assert.Null(SourceLimits.Default.RefuseStreamed(source, plan));
        }

        // A master 1.5 times as tall is refused at its bottom: the limit is what separates them.
        var tall = info with { Height = 30000, Levels = [new PyramidLevel(0, 20000, 30000)] };
        var bottom = Core.Iiif.ImageRequestParser.Parse(Core.Iiif.ApiVersion.V3, "bench", "0,29744,256,256", "256,", "0", "default.jpg");
        Assert.True(bottom.TryGetValue(out var deep, out _));
        Assert.True(ImagePlanner.Plan(deep, tall, ServerLimits.Default).TryGetValue(out var deepPlan, out _));
        Assert.NotNull(SourceLimits.Default.RefuseStreamed(source with { Info = tall, Loader = SourceLoader.Tiff }, deepPlan));
    }

    [Fact]
    public void Limits_are_validated_with_the_setting_named()
    {
        var errors = new SourceLimits { MaxSourcePixels = 0, MaxDecodeMegabytes = -1, MaxStreamedPixels = 0 }.Validate();
        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, e => e.Contains("MaxDecodeMegabytes but received -1", StringComparison.Ordinal));
        Assert.NotEmpty(new ImagePipelineSettings { Root = _files.Root, SourceLimits = new SourceLimits { MaxStreamedPixels = 0 } }.Validate());
    }
}
