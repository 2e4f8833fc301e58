using Tessera.Imaging.Batch;
using Tessera.Imaging.Pipeline;
using Tessera.Imaging.Rendering;
using Tessera.Imaging.Tests.Pipeline;
using Tessera.Imaging.Tests.Tiff;
using Tessera.Imaging.Tiff;
using Tessera.Vips;

namespace Tessera.Imaging.Tests.Rendering;

/// <summary>
/// The JPEG tile path (stored tiles decoded and the output encoded by libjpeg-turbo, no libvips) on real pyramids:
/// YCbCr, RGB and grey JPEG tiles, 667x999 so every level has partial right and bottom tiles.
/// </summary>
public sealed class JpegTileRendererTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("tessera-jpegtiles-").FullName;

    public JpegTileRendererTests()
    {
        BatchPipeline.ConfigureVips(1);
        foreach (var name in new[] { "ycbcr", "rgb", "grey" })
        {
            File.Copy(TiffFixtures.PathOf(name), Path.Combine(_root, name + ".tif"));
        }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    public static TheoryData<string, string, string> Requests => new()
    {
        { "ycbcr.tif", "100,150,300,400", "max" },                // interior of level 0, no resize
        { "ycbcr.tif", "400,700,267,299", "max" },                // reaches the right and bottom edges
        { "ycbcr.tif", "37,41,600,900", "!350,350" },             // a reduction that reads level 1
        { "ycbcr.tif", "full", "!150,150" },                     // a thumbnail from a small level held decoded
        { "ycbcr.tif", "full", "667," },                         // the whole of level 0
        { "ycbcr.tif", "full", "600," },                         // a reduction over all four tile rows of level 0
        { "rgb.tif", "0,0,500,500", "!300,300" },
        { "rgb.tif", "250,250,417,749", "200," },
        { "rgb.tif", "3,255,660,740", "!500,500" },               // starts a row above a tile row, three bands
        { "grey.tif", "10,20,640,970", "!400,400" },
        { "grey.tif", "500,760,167,239", "max" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task A_region_is_rendered_from_the_tiles_as_the_libvips_path_renders_it(string identifier, string region, string size)
    {
        Assert.SkipUnless(Vips.Jpeg.IsAvailable, "libturbojpeg0 is not installed");
        var direct = await PipelineRequests.Image(BatchPipeline.Create(_root, jobs: 1), identifier, region, size);
        var viaVips = await PipelineRequests.Image(WithoutJpegTiles(), identifier, region, size);
        Assert.Equal(RenderOrigin.JpegTiles, direct.Image.Origin);
        Assert.Equal(RenderOrigin.Rendered, viaVips.Image.Origin);

        // The same codec decodes the same tiles, the same reducer resamples them and the same codec encodes them with
        // the same settings: the two JPEGs decode to the same picture, pixel for pixel (only their headers differ).
        using var actual = VipsImage.NewFromBuffer(direct.Image.Data);
        using var expected = VipsImage.NewFromBuffer(viaVips.Image.Data);
        Assert.Equal((direct.Plan.Width, direct.Plan.Height), (actual.Width, actual.Height));
        Assert.Equal((expected.Width, expected.Height, expected.Bands), (actual.Width, actual.Height, actual.Bands));
        using var difference = VipsOperation.Image("subtract", ("left", actual), ("right", expected));
        using var absolute = difference.Call("abs");
        var largest = (double)VipsOperation.Run("max", [new("in", absolute)], ["out"])[0]!;
        Assert.True(largest == 0, $"pixels differ by up to {largest}, {absolute.Average():F3} on average");
    }

    [Fact]
    public async Task A_region_is_the_picture_libvips_makes_of_the_full_resolution()
    {
        Assert.SkipUnless(Vips.Jpeg.IsAvailable, "libturbojpeg0 is not installed");
        var pipeline = BatchPipeline.Create(_root, jobs: 1);
        var result = await PipelineRequests.Image(pipeline, "ycbcr.tif", "100,150,400,600", "!300,300");
        Assert.Equal(RenderOrigin.JpegTiles, result.Image.Origin);

        // Level 1 is itself a reduction, so only a loose comparison with resizing the full resolution holds.
        var r = result.Plan.Region;
        using var file = VipsImage.NewFromFile(Path.Combine(_root, "ycbcr.tif"));
        using var cut = file.ExtractArea(r.X, r.Y, r.Width, r.Height);
        using var expected = cut.Resize((double)result.Plan.Width / r.Width, (double)result.Plan.Height / r.Height);
        using var actual = VipsImage.NewFromBuffer(result.Image.Data);
        using var difference = VipsOperation.Image("subtract", ("left", actual), ("right", expected.ExtractArea(0, 0, actual.Width, actual.Height)));
        using var absolute = difference.Call("abs");
        Assert.True(absolute.Average() < 6, $"mean difference {absolute.Average():F2}");
    }

    [Theory]
    [InlineData("full", "!300,300", "90", "jpg")]       // turned
    [InlineData("full", "!300,300", "0", "png")]        // another format
    [InlineData("0,0,100,100", "^300,", "0", "jpg")]    // upscaled
    [InlineData("0,0,660,990", "20,", "0", "jpg")]      // steeper than the reducer takes (level 2 is 167 wide)
    public async Task Other_plans_are_left_to_libvips(string region, string size, string rotation, string format)
    {
        var result = await PipelineRequests.Image(BatchPipeline.Create(_root, jobs: 1), "ycbcr.tif", region, size, rotation, format);
        Assert.Equal(RenderOrigin.Rendered, result.Image.Origin);
    }

    [Fact]
    public async Task A_damaged_tile_is_left_to_libvips_which_says_what_it_means()
    {
        Assert.SkipUnless(Vips.Jpeg.IsAvailable, "libturbojpeg0 is not installed");

        // Tile (1,1) of level 0 with its entropy-coded data overwritten halfway.
        DamageTile(2);

        var pipeline = BatchPipeline.Create(_root, jobs: 1);

        // A region that needs all of the tile (its tile row is not the region's last, so it is decoded whole).
        var outcome = await PipelineRequests.Outcome(pipeline, "damaged.tif", "200,200,400,400", "max");

        // libvips decodes such a tile with a warning (grey or garbled blocks) or refuses it; either way the answer is
        // libvips', and nothing crashes.
        if (outcome.TryGetValue(out var result, out var error))
        {
            Assert.Equal(RenderOrigin.Rendered, result.Image.Origin);
        }
        else
        {
            Assert.NotNull(error);
        }

        // Its neighbours still take the fast path.
        var clean = await PipelineRequests.Image(pipeline, "damaged.tif", "0,0,200,200", "max");
        Assert.Equal(RenderOrigin.JpegTiles, clean.Image.Origin);
    }

    [Fact]
    public async Task A_damaged_tile_of_which_only_the_top_is_read_renders_as_libvips_renders_it()
    {
        Assert.SkipUnless(Vips.Jpeg.IsAvailable, "libturbojpeg0 is not installed");

        // Tile (1,1) of level 0 with its entropy-coded data overwritten a third of the way in: a region ending in this
        // tile row decodes only the tile's top rows, and what shows of the damage there is the decoder's own.
        DamageTile(3);

        // The whole-frame decode can tell the damage (its scan does not end where it should) and leaves it to libvips;
        // libvips, which fails only on truncation, decodes the damaged blocks as the same decoder does. Either way
        // the response is the picture libvips gives.
        var direct = await PipelineRequests.Outcome(BatchPipeline.Create(_root, jobs: 1), "damaged.tif", "200,200,200,250", "max");
        var viaVips = await PipelineRequests.Outcome(WithoutJpegTiles(), "damaged.tif", "200,200,200,250", "max");
        Assert.True(viaVips.TryGetValue(out var expected, out _), "libvips renders a tile with damaged entropy-coded data");
        Assert.True(direct.TryGetValue(out var actual, out _));
        using var a = VipsImage.NewFromBuffer(actual.Image.Data);
        using var b = VipsImage.NewFromBuffer(expected.Image.Data);
        using var difference = VipsOperation.Image("subtract", ("left", a), ("right", b));
        using var absolute = difference.Call("abs");
        var largest = (double)VipsOperation.Run("max", [new("in", absolute)], ["out"])[0]!;
        Assert.True(largest == 0, $"{actual.Image.Origin} differs from libvips by up to {largest}");
        Assert.Equal(RenderOrigin.JpegTiles, actual.Image.Origin);
    }

    /// <summary>damaged.tif: ycbcr.tif with 64 bytes of tile (1,1) of level 0 overwritten, 1/<paramref name="part"/> of the way into its data.</summary>
    private void DamageTile(int part)
    {
        var path = Path.Combine(_root, "damaged.tif");
        File.Copy(Path.Combine(_root, "ycbcr.tif"), path);
        var level = TiffDirectoryReader.Read(path)[0];
        var index = level.TilesAcross + 1;
        using var stream = File.OpenWrite(path);
        stream.Position = level.TileOffsets[index] + (level.TileByteCounts[index] / part);
        stream.Write(Enumerable.Repeat((byte)0x5A, 64).ToArray());
    }

    private ImagePipeline WithoutJpegTiles() => new(
        new Imaging.Sources.SourceCatalog(new Imaging.Sources.FileSystemSourceResolver(_root)),
        new ImageRenderer(new RenderOptions { JpegQuality = RenderOptions.DefaultJpegQuality, JpegTiles = false }),
        Core.Planning.ServerLimits.Default,
        Core.Compliance.ServiceProfile.Default,
        1);
}
