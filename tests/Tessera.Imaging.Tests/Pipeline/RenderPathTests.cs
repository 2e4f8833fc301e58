using Tessera.Imaging.Batch;
using Tessera.Imaging.Pipeline;
using Tessera.Testing;
using Tessera.Vips;

namespace Tessera.Imaging.Tests.Pipeline;

/// <summary>The render path through the managed reducer, on real pyramid TIFFs: open levels, pixels, memory.</summary>
public sealed class RenderPathTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("tessera-render-").FullName;

    public RenderPathTests()
    {
        BatchPipeline.ConfigureVips(1);
        using var photo = VipsImage.NewFromFile(Samples.PathOf(Samples.Kleiber));
        using var wide = photo.Resize(6000.0 / photo.Width, 1200.0 / photo.Height);
        using var narrow = photo.Resize(1500.0 / photo.Width, 1000.0 / photo.Height);
        foreach (var (image, name) in new[] { (wide, "wide.tif"), (narrow, "narrow.tif") })
        {
            image.SaveToFile("tiffsave", Path.Combine(_root, name), ("tile", true), ("tile_width", 256), ("tile_height", 256), ("pyramid", true), ("compression", "jpeg"), ("Q", 90));
        }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_wide_level_is_opened_per_request_and_a_narrow_one_kept_open()
    {
        var pipeline = BatchPipeline.Create(_root, jobs: 1);

        // Full resolution of a 6000 px wide pyramid: libvips' tile cache for it would be about 16 MB. (PNG out: JPEG
        // out takes the JPEG tile path, which reads tiles through a file handle and opens no libvips image.)
        var wide = await PipelineRequests.Image(pipeline, "wide.tif", "100,100,1500,900", "!1400,1400", format: "png");
        Assert.Equal(0, wide.Plan.Level.Index);
        Assert.Equal(0, pipeline.Renderer.Levels.OpenImages.Count);

        await PipelineRequests.Image(pipeline, "narrow.tif", "100,100,900,700", "!500,500", format: "png");
        Assert.Equal(1, pipeline.Renderer.Levels.OpenImages.Count);
    }

    [Theory]
    [InlineData("wide.tif", "100,100,1500,900", "!700,700")]
    [InlineData("wide.tif", "5000,200,1000,1000", "333,")]
    [InlineData("narrow.tif", "full", "!1000,1000")]
    [InlineData("narrow.tif", "0,0,1500,1000", "517,")]
    public async Task The_reduced_render_is_the_picture_libvips_makes(string identifier, string region, string size)
    {
        var pipeline = BatchPipeline.Create(_root, jobs: 1);
        var result = await PipelineRequests.Image(pipeline, identifier, region, size, format: "png");

        // The same region from the file, cut and resized by libvips alone.
        var r = result.Plan.Region;
        using var file = VipsImage.NewFromFile(Path.Combine(_root, identifier));
        using var cut = file.ExtractArea(r.X, r.Y, r.Width, r.Height);
        using var expected = cut.Resize((double)result.Plan.Width / r.Width, (double)result.Plan.Height / r.Height);
        using var actual = VipsImage.NewFromBuffer(result.Image.Data);

        Assert.Equal((result.Plan.Width, result.Plan.Height), (actual.Width, actual.Height));
        using var difference = VipsOperation.Image("subtract", ("left", actual), ("right", expected.ExtractArea(0, 0, actual.Width, actual.Height)));
        using var absolute = difference.Call("abs");
        Assert.True(absolute.Average() < 2.5, $"mean difference {absolute.Average():F2}");
    }

    [Fact]
    public async Task The_memory_releaser_collects_after_allocation_and_trims_after_renders()
    {
        var pipeline = BatchPipeline.Create(_root, jobs: 1);
        using var releaser = new MemoryReleaser(pipeline, TimeSpan.FromHours(1));

        // Other tests allocate in parallel: count collections from here on.
        releaser.Release();
        var collections = releaser.Collections;
        Assert.Equal(0, releaser.Trims);

        var garbage = new List<byte[]>();
        for (var i = 0; i < 20; i++)
        {
            garbage.Add(new byte[1 << 20]);
        }

        garbage.Clear();
        await PipelineRequests.Image(pipeline, "narrow.tif", "full", "!300,300");
        releaser.Release();
        Assert.Equal((collections + 1, 1), (releaser.Collections, releaser.Trims));

        // No render since: no trim.
        releaser.Release();
        Assert.Equal(1, releaser.Trims);
    }
}
