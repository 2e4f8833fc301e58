using Tessera.Imaging.Batch;
using Tessera.Vips;

namespace Tessera.Imaging.Tests.Pipeline;

/// <summary>
/// Regions far down a source read top to bottom (JPEG, TIFF strips): the renderer walks the read down to the region
/// so that libvips does not hold every row above it. libvips' memory counter is global, so these run alone.
/// </summary>
[Collection(nameof(SequentialSourceTests))]
public sealed class SequentialSourceTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("tessera-sequential-").FullName;

    public SequentialSourceTests()
    {
        BatchPipeline.ConfigureVips(1);

        // 2000 x 12000: the 11000 rows above the regions below are 66 MB of RGB.
        using var xyz = VipsOperation.Image("xyz", ("width", 2000), ("height", 12000));
        using var bytes = xyz.Cast(BandFormat.UChar);
        using var rgb = bytes.Call("bandjoin_const", ("c", new[] { 128.0 }));
        rgb.SaveToFile("jpegsave", Path.Combine(_root, "tall.jpg"), ("Q", 75));
        rgb.SaveToFile("tiffsave", Path.Combine(_root, "strips.tif"), ("compression", "deflate"));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("tall.jpg", "max", "jpg")]
    [InlineData("tall.jpg", "max", "png")]
    [InlineData("strips.tif", "300,", "jpg")]
    [InlineData("strips.tif", "max", "webp")]
    public async Task A_region_far_down_is_rendered_without_holding_the_rows_above(string identifier, string size, string format)
    {
        var pipeline = BatchPipeline.Create(_root, jobs: 1);
        await PipelineRequests.Image(pipeline, identifier, "0,0,300,200", "max", format: format); // opens and describes the source

        // libvips' memory, sampled while the render runs: the most it held above what it held before.
        var before = VipsRuntime.TrackedMemory;
        long most = 0;
        using var done = new CancellationTokenSource();
        var sampler = Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                most = Math.Max(most, VipsRuntime.TrackedMemory - before);
                Thread.Sleep(1);
            }
        });

        var result = await PipelineRequests.Image(pipeline, identifier, "700,11000,600,400", size, format: format);
        await done.CancelAsync();
        await sampler;

        Assert.Equal(size == "max" ? (600, 400) : (300, 200), (result.Image.Width, result.Image.Height));
        Assert.True(most < 24L << 20, $"libvips held up to {most >> 20} MB to render a 600x400 region 11000 rows down");
    }
}

/// <summary>Runs by itself.</summary>
[CollectionDefinition(nameof(SequentialSourceTests), DisableParallelization = true)]
public sealed class SequentialSourceTestsCollection;
