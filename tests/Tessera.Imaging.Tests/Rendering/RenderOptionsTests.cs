using Tessera.Imaging.Batch;
using Tessera.Imaging.Processing;
using Tessera.Imaging.Rendering;

namespace Tessera.Imaging.Tests.Rendering;

public sealed class RenderOptionsTests
{
    [Fact]
    public void The_defaults_are_valid_and_use_the_one_default_jpeg_quality()
    {
        Assert.Empty(RenderOptions.Default.Validate());
        Assert.Equal(RenderOptions.DefaultJpegQuality, RenderOptions.Default.JpegQuality);
        Assert.Equal(ResampleKernel.Lanczos3, RenderOptions.Default.Kernel);
    }

    [Theory]
    [InlineData(0, "Expected 1..100 for JpegQuality but received 0")]
    [InlineData(101, "Expected 1..100 for JpegQuality but received 101")]
    public void A_jpeg_quality_outside_1_to_100_is_named(int quality, string expected) =>
        Assert.Equal([expected], new RenderOptions { JpegQuality = quality }.Validate());

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var options = new RenderOptions { JpegQuality = -1, WebpQuality = 0, AvifQuality = 200, Jp2Quality = 0, PngCompression = 10, Kernel = (ResampleKernel)42 };
        Assert.Equal(
            [
                "Expected 1..100 for JpegQuality but received -1",
                "Expected 1..100 for WebpQuality but received 0",
                "Expected 1..100 for AvifQuality but received 200",
                "Expected 1..100 for Jp2Quality but received 0",
                "Expected 0..9 for PngCompression but received 10",
                "Expected nearest, linear, cubic, mitchell, lanczos2 or lanczos3 for Kernel but received 42",
            ],
            options.Validate());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    public void Png_compression_0_to_9_is_valid(int level) => Assert.Empty(new RenderOptions { PngCompression = level }.Validate());

    [Fact]
    public void The_renderer_refuses_invalid_options_listing_every_problem()
    {
        var e = Assert.Throws<InvalidOptionsException>(() => new ImageRenderer(new RenderOptions { JpegQuality = 0, PngCompression = -1 }));
        Assert.Equal(["Expected 1..100 for JpegQuality but received 0", "Expected 0..9 for PngCompression but received -1"], e.Problems);
        Assert.Equal("options", e.ParamName);
        Assert.StartsWith("Invalid RenderOptions:\n  Expected 1..100 for JpegQuality but received 0\n  Expected 0..9 for PngCompression", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_batch_commands_encode_at_the_servers_default_quality()
    {
        // A seeded tile equals the server's only when both encode at the same quality.
        Assert.Equal(RenderOptions.DefaultJpegQuality, new SeedOptions { Root = ".", Output = "." }.JpegQuality);
        Assert.Equal(RenderOptions.DefaultJpegQuality, new ProcessOptions { Root = ".", Output = ".", Instructions = new Dictionary<string, Instruction>() }.JpegQuality);
    }
}
