using Tessera.Core.Compliance;
using Tessera.Core.Planning;
using Tessera.Imaging.Batch;
using Tessera.Imaging.Pipeline;
using Tessera.Imaging.Rendering;
using Tessera.Imaging.Sources;
using Tessera.Testing;
using Tessera.Vips;

namespace Tessera.Imaging.Tests.Pipeline;

/// <summary>
/// JPEG 2000 sources through the direct OpenJPEG path (<see cref="RenderPath.Jpeg2000"/>) against the libvips
/// <c>jp2kload</c> path (<see cref="RenderOptions.Jpeg2000Direct"/> off), on real files made here.
/// </summary>
public sealed class Jpeg2000PathTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("tessera-jp2path-").FullName;

    public Jpeg2000PathTests()
    {
        BatchPipeline.ConfigureVips(1);
        using var photo = VipsImage.NewFromFile(Samples.PathOf(Samples.Kleiber));
        using var picture = photo.Resize(2000.0 / photo.Width, 1500.0 / photo.Height);

        // Lossy, 256 px tiles (what a server is usually given), and the same with 4:2:0 chroma the decoder leaves to libvips.
        picture.SaveToFile("jp2ksave", Path.Combine(_root, "photo.jp2"), ("tile_width", 256), ("tile_height", 256), ("Q", 45), ("lossless", false));
        picture.SaveToFile("jp2ksave", Path.Combine(_root, "subsampled.jp2"), ("tile_width", 256), ("tile_height", 256), ("Q", 45), ("subsample_mode", "on"));

        // One codestream tile (no tiling): windows are decoded alone, the whole image never kept.
        picture.SaveToFile("jp2ksave", Path.Combine(_root, "untiled.jp2"), ("tile_width", 2048), ("tile_height", 2048), ("Q", 45));

        // Cut at two thirds: the header reads, the bottom of the image is missing.
        var bytes = File.ReadAllBytes(Path.Combine(_root, "photo.jp2"));
        File.WriteAllBytes(Path.Combine(_root, "truncated.jp2"), bytes[..(bytes.Length * 2 / 3)]);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private ImagePipeline Create(bool direct) => new(
        new SourceCatalog(new FileSystemSourceResolver(_root)),
        new ImageRenderer(new RenderOptions { Jpeg2000Direct = direct }),
        ServerLimits.Default,
        ServiceProfile.Default,
        1);

    [Theory]
    [InlineData("0,0,256,256", "256,256", "0", "jpg")] // full-resolution tile: a window decoded
    [InlineData("768,512,256,256", "256,256", "0", "png")]
    [InlineData("1792,1280,208,220", "208,220", "0", "jpg")] // edge tile
    [InlineData("512,512,512,512", "256,256", "0", "jpg")] // scale factor 2: the held level
    [InlineData("1024,1024,976,476", "244,119", "0", "png")] // scale factor 4, edge
    [InlineData("0,0,1024,1024", "256,256", "0", "jpg")] // scale factor 4
    [InlineData("123,77,1501,1001", "!1024,1024", "0", "png")] // a region, reduced by the managed reducer
    [InlineData("300,200,700,500", "max", "90", "jpg")] // rotation
    [InlineData("300,200,700,500", "350,", "22.5", "png")] // arbitrary rotation
    [InlineData("full", "!300,300", "0", "jpg")] // a thumbnail
    [InlineData("full", "max", "0", "png")] // the whole image at full resolution
    public async Task The_direct_path_gives_the_libvips_picture(string region, string size, string rotation, string format)
    {
        var direct = await PipelineRequests.Image(Create(direct: true), "photo.jp2", region, size, rotation, format);
        var libvips = await PipelineRequests.Image(Create(direct: false), "photo.jp2", region, size, rotation, format);

        Assert.Equal((RenderOrigin.OpenJpeg, RenderPath.Jpeg2000, RenderReason.Jpeg2000Window), (direct.Image.Origin, direct.Image.Path, direct.Image.Reason));
        Assert.Equal((RenderOrigin.Rendered, RenderPath.Libvips, RenderReason.Jpeg2000Off), (libvips.Image.Origin, libvips.Image.Path, libvips.Image.Reason));
        using var ours = VipsImage.NewFromBuffer(direct.Image.Data);
        using var theirs = VipsImage.NewFromBuffer(libvips.Image.Data);
        Assert.Equal((theirs.Width, theirs.Height, theirs.Bands), (ours.Width, ours.Height, ours.Bands));
        using var difference = VipsOperation.Image("subtract", ("left", ours), ("right", theirs));
        using var absolute = difference.Call("abs");
        var most = (double)VipsOperation.Run("max", [new("in", absolute)], ["out"])[0]!;
        Assert.True(most <= 1, $"largest difference {most}");
    }

    [Fact]
    public async Task A_subsampled_file_is_left_to_libvips()
    {
        var result = await PipelineRequests.Image(Create(direct: true), "subsampled.jp2", "256,256,256,256", "256,256");

        Assert.Equal((RenderOrigin.Rendered, RenderPath.Libvips, RenderReason.Jpeg2000Refused), (result.Image.Origin, result.Image.Path, result.Image.Reason));
        Assert.Contains("subsampled", result.Source.Jpeg2000Refusal);
        Assert.Equal((256, 256), (result.Image.Width, result.Image.Height));
    }

    [Theory]
    [InlineData("0,1200,800,300", "max")] // a window in the missing part
    [InlineData("full", "!300,300")] // a held level decoded whole
    [InlineData("1024,1024,976,476", "244,119")]
    public async Task A_truncated_file_is_an_error_for_the_request_not_a_partial_image(string region, string size)
    {
        var pipeline = Create(direct: true);
        var outcome = await PipelineRequests.Outcome(pipeline, "truncated.jp2", region, size);

        Assert.False(outcome.TryGetValue(out var image, out var error), $"a {image?.Image.Width}x{image?.Image.Height} image came");
        Assert.Equal(500, error.Status);
    }

    [Fact]
    public async Task Small_levels_are_decoded_once_and_held()
    {
        var pipeline = Create(direct: true);
        var levels = pipeline.Renderer.Levels;

        // Three tiles and a thumbnail of the 1000x750 level (scale factor 2), then a tile of the 500x375 level.
        foreach (var (region, size) in new[] { ("0,0,512,512", "256,"), ("512,0,512,512", "256,"), ("1536,1024,464,476", "232,"), ("full", "!900,900") })
        {
            var tile = await PipelineRequests.Image(pipeline, "photo.jp2", region, size);
            Assert.Equal(1, tile.Plan.Level.Index);
            Assert.Equal(RenderOrigin.OpenJpeg, tile.Image.Origin);
        }

        Assert.Equal(1, levels.HeldJpeg2000Decodes);
        Assert.Equal(1, levels.OpenImages.Count);
        Assert.Equal(1000L * 750 * 3, levels.OpenImages.Bytes);

        await PipelineRequests.Image(pipeline, "photo.jp2", "0,0,1024,1024", "256,");
        Assert.Equal(2, levels.HeldJpeg2000Decodes);

        // Full resolution is never held whole: a window of it decodes the codestream tile it touches.
        await PipelineRequests.Image(pipeline, "photo.jp2", "256,256,256,256", "256,");
        Assert.Equal((2L, 1L, 2, 1), (levels.HeldJpeg2000Decodes, levels.Jpeg2000TileDecodes, levels.OpenImages.Count, levels.Jpeg2000Tiles.Count));
    }

    [Fact]
    public async Task Codestream_tiles_of_large_levels_are_decoded_once_for_overlapping_windows()
    {
        var pipeline = Create(direct: true);
        var levels = pipeline.Renderer.Levels;

        // Full resolution (3 Mpx, decoded a 256 px codestream tile at a time): 300,200 to 1000,700 touches 3 x 3 tiles.
        var first = await PipelineRequests.Image(pipeline, "photo.jp2", "300,200,700,500", "max");
        Assert.Equal(0, first.Plan.Level.Index);
        Assert.Equal(9, levels.Jpeg2000TileDecodes);
        Assert.Equal(9, levels.Jpeg2000Tiles.Count);

        // Overlapping and contained windows decode nothing again; a neighbour decodes only its own tile.
        await PipelineRequests.Image(pipeline, "photo.jp2", "260,210,500,500", "max", format: "png");
        await PipelineRequests.Image(pipeline, "photo.jp2", "512,256,256,256", "256,");
        Assert.Equal(9, levels.Jpeg2000TileDecodes);
        await PipelineRequests.Image(pipeline, "photo.jp2", "1024,768,256,256", "256,");
        Assert.Equal(10, levels.Jpeg2000TileDecodes);
        Assert.Equal(0, levels.HeldJpeg2000Decodes);
    }

    [Fact]
    public async Task A_file_of_large_codestream_tiles_decodes_each_window_alone()
    {
        var direct = Create(direct: true);
        var result = await PipelineRequests.Image(direct, "untiled.jp2", "700,500,512,512", "512,", format: "png");
        var libvips = await PipelineRequests.Image(Create(direct: false), "untiled.jp2", "700,500,512,512", "512,", format: "png");

        Assert.Equal(RenderOrigin.OpenJpeg, result.Image.Origin);
        Assert.Equal((0L, 0L, 0, 0), (direct.Renderer.Levels.Jpeg2000TileDecodes, direct.Renderer.Levels.HeldJpeg2000Decodes, direct.Renderer.Levels.OpenImages.Count, direct.Renderer.Levels.Jpeg2000Tiles.Count));
        using var ours = VipsImage.NewFromBuffer(result.Image.Data);
        using var theirs = VipsImage.NewFromBuffer(libvips.Image.Data);
        using var difference = VipsOperation.Image("subtract", ("left", ours), ("right", theirs));
        using var absolute = difference.Call("abs");
        Assert.Equal(0, (double)VipsOperation.Run("max", [new("in", absolute)], ["out"])[0]!);
    }

    [Fact]
    public async Task A_replaced_file_is_decoded_anew()
    {
        var pipeline = Create(direct: true);
        var first = await PipelineRequests.Image(pipeline, "photo.jp2", "0,0,512,512", "256,");

        // A different picture under the same name (a later modification time: a new version).
        var path = Path.Combine(_root, "photo.jp2");
        using (var black = VipsImage.NewFromFile(path))
        using (var dark = black.Call("linear", ("a", new double[] { 0.25 }), ("b", new double[] { 0 })).Cast(BandFormat.UChar))
        {
            dark.SaveToFile("jp2ksave", path + ".new", ("tile_width", 256), ("tile_height", 256), ("Q", 45));
        }

        File.Move(path + ".new", path, overwrite: true);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        var second = await PipelineRequests.Image(pipeline, "photo.jp2", "0,0,512,512", "256,");

        Assert.Equal(RenderOrigin.OpenJpeg, second.Image.Origin);
        using var before = VipsImage.NewFromBuffer(first.Image.Data);
        using var after = VipsImage.NewFromBuffer(second.Image.Data);
        Assert.True(after.Average() < before.Average() * 0.5, $"mean {after.Average():F1} after, {before.Average():F1} before");
    }
}
