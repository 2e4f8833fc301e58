using System.Collections.Immutable;
using Tessera.Core.Iiif;
using Tessera.Core.Planning;
using Tessera.Imaging.Colour;
using Tessera.Imaging.Rendering;
using Tessera.Imaging.Sources;
using Tessera.Imaging.Tiff;

namespace Tessera.Imaging.Tests.Rendering;

/// <summary>Which plans are exactly one stored tile: geometry only, no pixels. The planner picks the level.</summary>
public sealed class StoredTileTests
{
    // A 1000x700 pyramid of 256px tiles: levels 1000x700, 500x350, 250x175 (page = level).
    private static readonly (int W, int H)[] Levels = [(1000, 700), (500, 350), (250, 175)];

    private static SourceDescription Pyramid(int photometric = TiffDirectory.PhotometricYCbCr, int compression = TiffDirectory.CompressionJpeg, string? profile = null, int orientation = 1)
    {
        var directories = Levels.Select((l, page) =>
        {
            var tiles = ((l.W + 255) / 256) * ((l.H + 255) / 256);
            return new TiffDirectory(page, -1, l.W, l.H, 256, 256, compression, photometric, 3, [8, 8, 8], 1, 2, 2, page == 0 ? 0 : 1,
                new byte[] { 0xFF, 0xD8, 0xFF, 0xD9 }, [.. Enumerable.Repeat(8L, tiles)], [.. Enumerable.Repeat(100L, tiles)], null);
        }).ToList();
        var info = new SourceInfo(1000, 700, [.. Levels.Select((l, i) => new PyramidLevel(i, l.W, l.H, 256, 256))], orientation);
        var source = new ResolvedSource("p.tif", "/tmp/p.tif", DateTimeOffset.UnixEpoch, 1);
        return new SourceDescription(source, info, SourceLoader.Tiff, "tiffload") { TiffDirectories = directories, Profile = profile is null ? null : IccProfile.TryParse(File.ReadAllBytes(profile)) };
    }

    private static ImagePlan Plan(SourceDescription source, string region, string size, string rotation = "0", string qualityFormat = "default.jpg")
    {
        var request = ImageRequestParser.Parse(ApiVersion.V3, "p.tif", region, size, rotation, qualityFormat).Value;
        return ImagePlanner.Plan(request, source.Info, ServerLimits.Default).Value;
    }

    [Theory]
    [InlineData("0,0,256,256", "256,256", 0, 0, 0)]
    [InlineData("768,512,232,188", "232,188", 0, 3, 2)]
    [InlineData("512,0,488,512", "244,256", 1, 1, 0)]
    [InlineData("0,512,512,188", "256,94", 1, 0, 1)]
    [InlineData("full", "250,175", 2, 0, 0)]
    [InlineData("0,0,1000,700", "250,175", 2, 0, 0)]
    public void A_tile_of_the_iiif_grid_is_a_stored_tile(string region, string size, int page, int column, int row)
    {
        var source = Pyramid();
        var plan = Plan(source, region, size);

        Assert.Equal(page, plan.Level.Index);
        Assert.True(StoredTile.TryMatch(plan, source, out var directory, out var c, out var r));
        Assert.Equal((page, column, row), (directory.Page, c, r));
    }

    [Theory]
    [InlineData("0,0,256,256", "255,255", "0", "default.jpg")]
    [InlineData("1,0,256,256", "256,256", "0", "default.jpg")]
    [InlineData("0,0,256,256", "256,256", "90", "default.jpg")]
    [InlineData("0,0,256,256", "256,256", "!0", "default.jpg")]
    [InlineData("0,0,256,256", "256,256", "0", "gray.jpg")]
    [InlineData("0,0,256,256", "256,256", "0", "default.png")]
    [InlineData("0,0,512,512", "256,255", "0", "default.jpg")]
    [InlineData("0,0,300,256", "300,256", "0", "default.jpg")]
    public void Anything_else_is_not(string region, string size, string rotation, string qualityFormat)
    {
        var source = Pyramid();

        Assert.False(StoredTile.TryMatch(Plan(source, region, size, rotation, qualityFormat), source, out _, out _, out _));
    }

    [Fact]
    public void A_colour_quality_request_is_the_same_stored_tile()
    {
        var source = Pyramid();

        Assert.True(StoredTile.TryMatch(Plan(source, "0,0,256,256", "256,256", "0", "color.jpg"), source, out _, out _, out _));
    }

    [Fact]
    public void Sources_whose_stored_pixels_are_not_plain_srgb_jpeg_are_rendered()
    {
        var adobe = Pyramid(profile: "/usr/share/color/icc/colord/AdobeRGB1998.icc");
        Assert.False(StoredTile.TryMatch(Plan(adobe, "0,0,256,256", "256,256"), adobe, out _, out _, out _));
        Assert.False(StoredTile.TryMatch(Plan(Pyramid(compression: 5), "0,0,256,256", "256,256"), Pyramid(compression: 5), out _, out _, out _));
        Assert.False(StoredTile.TryMatch(Plan(Pyramid(orientation: 3), "0,0,256,256", "256,256"), Pyramid(orientation: 3), out _, out _, out _));
    }

    [Fact]
    public void Sources_tagged_srgb_are_stored_tiles_like_untagged_ones()
    {
        var tagged = Pyramid(profile: "/usr/share/color/icc/colord/sRGB.icc");

        Assert.True(StoredTile.TryMatch(Plan(tagged, "0,0,256,256", "256,256"), tagged, out _, out var column, out var row));
        Assert.Equal((0, 0), (column, row));
    }
}
