using Tessera.Imaging.Batch;
using Tessera.Imaging.Processing;
using Tessera.Imaging.Rendering;

namespace Tessera.Imaging.Tests.Rendering;

/// <summary>
/// <see cref="RenderOptions"/> has no validator yet (its values come from options validated elsewhere); what holds
/// today is that its defaults agree with the batch commands', since a seeded tile equals the server's only when both
/// encode at the same quality.
/// </summary>
public sealed class RenderOptionsTests
{
    [Fact]
    public void The_default_jpeg_quality_is_the_batch_commands_default()
    {
        var options = RenderOptions.Default;

        Assert.Equal(BatchPipeline.DefaultJpegQuality, options.JpegQuality);
        Assert.Equal(options.JpegQuality, new SeedOptions { Root = ".", Output = "." }.JpegQuality);
        Assert.Equal(options.JpegQuality, new ProcessOptions { Root = ".", Output = ".", Instructions = new Dictionary<string, Instruction>() }.JpegQuality);
    }

    [Fact]
    public void The_default_qualities_are_within_their_documented_ranges()
    {
        var options = RenderOptions.Default;

        Assert.All([options.JpegQuality, options.WebpQuality, options.AvifQuality, options.Jp2Quality], q => Assert.InRange(q, 1, 100));
        Assert.InRange(options.PngCompression, 0, 9);
        Assert.Contains(options.Kernel, new[] { "nearest", "linear", "cubic", "mitchell", "lanczos2", "lanczos3" });
    }
}
