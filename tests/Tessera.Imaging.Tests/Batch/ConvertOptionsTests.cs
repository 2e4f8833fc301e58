using Tessera.Imaging.Batch;
using Tessera.Imaging.Rendering;

namespace Tessera.Imaging.Tests.Batch;

public sealed class ConvertOptionsTests
{
    [Fact]
    public void Defaults_are_valid_with_the_servers_jpeg_quality()
    {
        var options = new ConvertOptions { Output = "out" };
        Assert.Empty(options.Validate());
        Assert.Equal(RenderOptions.DefaultJpegQuality, options.Quality);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var options = new ConvertOptions { Output = "", TileSize = 8193, Quality = 0, Format = (ConvertFormat)5, Jobs = 0, Shard = new Shard(0, 0) };
        Assert.Equal(
            [
                "Expected a folder for Output but received nothing",
                "Expected 1..8192 for TileSize but received 8193",
                "Expected 1..100 for Quality but received 0",
                "Expected Tif, Jp2 or Htj2k for Format but received 5",
                "Expected a positive integer for Jobs but received 0",
                "Expected 0 <= i < n for Shard i/n but received 0/0",
            ],
            options.Validate());
    }

    [Fact]
    public void The_converter_refuses_invalid_options()
    {
        var e = Assert.Throws<InvalidOptionsException>(() => new MasterConverter(new ConvertOptions { Output = "out", Quality = 101 }));
        Assert.Equal(["Expected 1..100 for Quality but received 101"], e.Problems);
        Assert.StartsWith("Invalid ConvertOptions:", e.Message, StringComparison.Ordinal);
    }
}
