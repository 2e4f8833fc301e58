using Tessera.Core.Iiif;
using Tessera.Core.Planning;
using Tessera.Imaging.Colour;
using Tessera.Imaging.Rendering;
using Tessera.Imaging.Sources;
using Tessera.Imaging.Tiff;

namespace Tessera.Imaging.Tests.Rendering;

/// <summary>Which path answers a plan, and why: plans and source facts only, no pixels. The planner picks the level.</summary>
public sealed class RenderPathChooserTests
{
    /// <summary>A pyramid of 256 px tiles, each level half the one above (page = level): 1000x700 gives 1000x700, 500x350, 250x175.</summary>
    private static SourceDescription Pyramid(
        int width = 1000,
        int height = 700,
        int compression = TiffDirectory.CompressionJpeg,
        bool icc = false,
        bool cmyk = false,
        int orientation = 1,
        SourceLoader loader = SourceLoader.Tiff,
        int tile = 256,
        int directoryWidthOffset = 0)
    {
        var levels = new List<(int W, int H)>();
        for (int w = width, h = height; levels.Count == 0 || w >= 200; w = (w + 1) / 2, h = (h + 1) / 2)
        {
            levels.Add((w, h));
        }

        var directories = loader != SourceLoader.Tiff ? [] : levels.Select((l, page) =>
        {
            var tiles = tile == 0 ? 1 : ((l.W + tile - 1) / tile) * ((l.H + tile - 1) / tile);
            return new TiffDirectory(page, -1, l.W + directoryWidthOffset, l.H, tile, tile, compression, TiffDirectory.PhotometricYCbCr, 3, [8, 8, 8], 1, 2, 2, page == 0 ? 0 : 1,
                new byte[] { 0xFF, 0xD8, 0xFF, 0xD9 }, [.. Enumerable.Repeat(8L, tiles)], [.. Enumerable.Repeat(100L, tiles)], null);
        }).ToList();
        var info = new SourceInfo(width, height, [.. levels.Select((l, i) => new PyramidLevel(i, l.W, l.H, tile, tile))], orientation);
        var source = new ResolvedSource("p", "/tmp/p", DateTimeOffset.UnixEpoch, 1);
        return new SourceDescription(source, info, loader, "load") { TiffDirectories = directories, Profile = cmyk ? Cmyk.Value : icc ? AdobeRgb.Value : null };
    }

    /// <summary>A real profile that is not sRGB (Debian's colord-data): a source tagged with it cannot be sent as stored.</summary>
    private static readonly Lazy<Imaging.Colour.IccProfile> AdobeRgb = new(() =>
        Imaging.Colour.IccProfile.TryParse(File.ReadAllBytes("/usr/share/color/icc/colord/AdobeRGB1998.icc")) ?? throw new InvalidDataException("AdobeRGB1998.icc did not parse"));

    /// <summary>A real CMYK profile (Ghostscript's): JPEG tiles of three samples cannot be read through it.</summary>
    private static readonly Lazy<Imaging.Colour.IccProfile> Cmyk = new(() =>
        Imaging.Colour.IccProfile.TryParse(File.ReadAllBytes("/usr/share/color/icc/ghostscript/default_cmyk.icc")) ?? throw new InvalidDataException("default_cmyk.icc did not parse"));

    private static RenderDecision Choose(
        SourceDescription source,
        string region,
        string size,
        string rotation = "0",
        string qualityFormat = "default.jpg",
        RenderOptions? options = null,
        bool libjpegTurbo = true,
        bool lcms = true)
    {
        var request = ImageRequestParser.Parse(ApiVersion.V3, "p", region, size, rotation, qualityFormat).Value;
        var plan = ImagePlanner.Plan(request, source.Info, ServerLimits.Default).Value;
        return new RenderPathChooser(options ?? RenderOptions.Default, libjpegTurbo, lcms).Choose(plan, source);
    }

    [Theory]
    [InlineData("0,0,256,256", "256,256")]
    [InlineData("768,512,232,188", "232,188")] // an edge tile
    public void A_stored_tile_asked_at_its_own_jpeg_quality_is_decoded_and_encoded(string region, string size)
    {
        var source = Pyramid();
        var request = ImageRequestParser.Parse(ApiVersion.V3, "p", region, size, "0", "default.jpg").Value;
        var plan = ImagePlanner.Plan(request, source.Info, ServerLimits.Default).Value;
        var chooser = new RenderPathChooser(RenderOptions.Default, libjpegTurbo: true, lcms: true);

        Assert.Equal(RenderPath.StoredTile, chooser.Choose(plan, source).Path);
        Assert.Equal((RenderPath.JpegTiles, RenderReason.JpegQuality), (chooser.Choose(plan with { JpegQuality = 40 }, source).Path, chooser.Choose(plan with { JpegQuality = 40 }, source).Reason));
        Assert.NotEqual(plan.CacheKey, (plan with { JpegQuality = 40 }).CacheKey);
    }

    [Theory]
    [InlineData(ColourPolicy.Convert, true, "0,0,256,256", "256,256", RenderPath.JpegTiles, RenderReason.ColourTransform, ColourHandling.Transform)]
    [InlineData(ColourPolicy.Convert, true, "100,100,600,500", "!300,300", RenderPath.JpegTiles, RenderReason.NotOneTile, ColourHandling.Transform)]
    [InlineData(ColourPolicy.Convert, false, "0,0,256,256", "256,256", RenderPath.JpegTiles, RenderReason.ColourTransform, ColourHandling.Transform)] // matrix/TRC: managed, no LittleCMS needed
    [InlineData(ColourPolicy.Embed, true, "0,0,256,256", "256,256", RenderPath.StoredTile, RenderReason.Tile, ColourHandling.Embed)]
    [InlineData(ColourPolicy.Embed, false, "100,100,600,500", "!300,300", RenderPath.JpegTiles, RenderReason.NotOneTile, ColourHandling.Embed)]
    public void An_rgb_profile_other_than_srgb_keeps_the_jpeg_paths_by_the_colour_policy(ColourPolicy policy, bool lcms, string region, string size, RenderPath path, RenderReason reason, ColourHandling colour)
    {
        var decision = Choose(Pyramid(icc: true), region, size, options: RenderOptions.Default with { Colour = policy }, lcms: lcms);

        Assert.Equal((path, reason), (decision.Path, decision.Reason));
        if (path != RenderPath.Libvips)
        {
            Assert.Equal(colour, decision.Colour);
        }
    }

    [Theory]
    [InlineData("0,0,256,256", "256,256", RenderReason.Tile, 0, 0, 0)]
    [InlineData("256,256,256,256", "256,256", RenderReason.Tile, 0, 1, 1)]
    [InlineData("768,512,232,188", "232,188", RenderReason.EdgeTile, 0, 3, 2)]
    [InlineData("512,0,488,512", "244,256", RenderReason.EdgeTile, 1, 1, 0)]
    [InlineData("0,512,512,188", "256,94", RenderReason.EdgeTile, 1, 0, 1)]
    [InlineData("full", "250,175", RenderReason.EdgeTile, 2, 0, 0)]
    public void A_tile_of_the_iiif_grid_is_sent_as_stored(string region, string size, RenderReason reason, int page, int column, int row)
    {
        var decision = Choose(Pyramid(), region, size);

        Assert.Equal((RenderPath.StoredTile, reason), (decision.Path, decision.Reason));
        Assert.Equal((page, column, row), (decision.Directory!.Page, decision.Column, decision.Row));

        // Should its bytes not do as they are, the tiles are decoded instead.
        Assert.Equal((RenderPath.JpegTiles, RenderReason.NotOneTile), (decision.Fallback!.Path, decision.Fallback.Reason));
        Assert.Same(decision.Directory, decision.Fallback.Directory);
    }

    [Theory]
    [InlineData("0,0,256,256", "255,255")]   // resized
    [InlineData("1,0,256,256", "256,256")]   // off the grid
    [InlineData("0,0,300,256", "300,256")]   // more than a tile
    [InlineData("0,0,512,512", "256,255")]   // a tile of level 1, not its size
    [InlineData("100,100,600,500", "!300,300")]
    [InlineData("full", "max")]
    public void Anything_else_that_reads_jpeg_tiles_is_decoded_from_them(string region, string size)
    {
        var decision = Choose(Pyramid(), region, size);

        Assert.Equal((RenderPath.JpegTiles, RenderReason.NotOneTile), (decision.Path, decision.Reason));
        Assert.NotNull(decision.Directory);
        Assert.Null(decision.Fallback);
    }

    [Theory]
    [InlineData("90", "default.jpg", RenderReason.Rotation)]
    [InlineData("22.5", "default.jpg", RenderReason.Rotation)]
    [InlineData("!0", "default.jpg", RenderReason.Mirror)]
    [InlineData("0", "gray.jpg", RenderReason.Quality)]
    [InlineData("0", "bitonal.jpg", RenderReason.Quality)]
    [InlineData("0", "default.png", RenderReason.NotJpgOut)]
    public void A_plan_that_changes_the_stored_pixels_goes_to_libvips(string rotation, string qualityFormat, RenderReason reason)
    {
        // Tile-aligned or not, the same answer.
        foreach (var (region, size) in new[] { ("0,0,256,256", "256,256"), ("100,100,600,500", "!300,300") })
        {
            var decision = Choose(Pyramid(), region, size, rotation, qualityFormat);

            Assert.Equal((RenderPath.Libvips, reason), (decision.Path, decision.Reason));
            Assert.Null(decision.Directory);
        }
    }

    [Fact]
    public void Colour_quality_is_the_stored_colours()
    {
        Assert.Equal(RenderPath.StoredTile, Choose(Pyramid(), "0,0,256,256", "256,256", "0", "color.jpg").Path);
        Assert.Equal(RenderPath.JpegTiles, Choose(Pyramid(), "0,0,300,300", "200,", "0", "color.jpg").Path);
    }

    public static TheoryData<string, SourceDescription, RenderReason> Sources => new()
    {
        { "a CMYK profile on colour tiles", Pyramid(cmyk: true), RenderReason.IccProfile },
        { "an EXIF orientation", Pyramid(orientation: 6), RenderReason.Orientation },
        { "LZW tiles", Pyramid(compression: 5), RenderReason.NotJpegTiles },
        { "a TIFF in strips", Pyramid(tile: 0), RenderReason.NotTiled },
        { "a JPEG source", Pyramid(loader: SourceLoader.Jpeg, tile: 0), RenderReason.NotTiff },
        { "a JPEG 2000 source without a direct decoder", Pyramid(loader: SourceLoader.Jpeg2000), RenderReason.Jpeg2000Refused },
        { "a PNG source", Pyramid(loader: SourceLoader.Other, tile: 0), RenderReason.NotTiff },
    };

    [Theory]
    [MemberData(nameof(Sources))]
    public void A_source_whose_stored_pixels_are_not_plain_jpeg_tiles_goes_to_libvips(string kind, SourceDescription source, RenderReason reason)
    {
        foreach (var (region, size) in new[] { ("0,0,256,256", "256,256"), ("100,100,600,500", "!300,300"), ("full", "max") })
        {
            var decision = Choose(source, region, size);

            Assert.True((RenderPath.Libvips, reason) == (decision.Path, decision.Reason), $"{kind}, {region}/{size}: {decision}");
        }
    }

    [Fact]
    public void A_source_whose_tiff_has_no_directory_for_the_level_goes_to_libvips()
    {
        var source = Pyramid() with { TiffDirectories = [] };

        Assert.Equal((RenderPath.Libvips, RenderReason.NotJpegTiles), (Choose(source, "0,0,256,256", "256,256").Path, Choose(source, "0,0,256,256", "256,256").Reason));
    }

    [Fact]
    public void With_the_jpeg_tile_path_off_stored_tiles_are_still_sent_and_the_rest_goes_to_libvips()
    {
        var off = RenderOptions.Default with { JpegTiles = false };

        var tile = Choose(Pyramid(), "0,0,256,256", "256,256", options: off);
        Assert.Equal((RenderPath.StoredTile, RenderReason.Tile), (tile.Path, tile.Reason));
        Assert.Equal((RenderPath.Libvips, RenderReason.JpegTilesOff), (tile.Fallback!.Path, tile.Fallback.Reason));

        var region = Choose(Pyramid(), "100,100,600,500", "!300,300", options: off);
        Assert.Equal((RenderPath.Libvips, RenderReason.JpegTilesOff), (region.Path, region.Reason));
    }

    [Fact]
    public void Without_libjpeg_turbo_stored_tiles_are_still_sent_and_the_rest_goes_to_libvips()
    {
        var tile = Choose(Pyramid(), "768,512,232,188", "232,188", libjpegTurbo: false);
        Assert.Equal((RenderPath.StoredTile, RenderReason.EdgeTile), (tile.Path, tile.Reason));
        Assert.Equal((RenderPath.Libvips, RenderReason.NoLibjpegTurbo), (tile.Fallback!.Path, tile.Fallback.Reason));

        var region = Choose(Pyramid(), "100,100,600,500", "!300,300", libjpegTurbo: false);
        Assert.Equal((RenderPath.Libvips, RenderReason.NoLibjpegTurbo), (region.Path, region.Reason));
    }

    [Theory]
    [InlineData("0,0,100,100", "^200,200", "lanczos3", RenderReason.Upscale)]
    [InlineData("full", "!50,50", "lanczos3", RenderReason.SteepReduction)]
    [InlineData("0,0,512,512", "200,200", "nearest", RenderReason.Kernel)]
    [InlineData("2,2,510,510", "255,255", "nearest", null)]   // no reduction: the kernel does not matter
    [InlineData("full", "!63,63", "lanczos3", null)]            // 250 px of the smallest level to 63: by 4 at most, the reducer's
    public void Geometry_the_managed_reducer_does_not_take_goes_to_libvips(string region, string size, string kernel, RenderReason? reason)
    {
        var decision = Choose(Pyramid(2000, 1400), region, size, options: RenderOptions.Default with { Kernel = ResampleKernels.Parse(kernel, "kernel") });

        Assert.Equal(reason is null ? (RenderPath.JpegTiles, RenderReason.NotOneTile) : (RenderPath.Libvips, reason.Value), (decision.Path, decision.Reason));
    }

    [Fact]
    public void A_region_over_the_jpeg_tile_paths_bound_goes_to_libvips()
    {
        // 4000x3000 read at full resolution: 12 million pixels, over the 8 million the JPEG tile path holds.
        var decision = Choose(Pyramid(4000, 3000), "full", "max");

        Assert.Equal((RenderPath.Libvips, RenderReason.LargeRegion), (decision.Path, decision.Reason));
        Assert.Equal(RenderPath.JpegTiles, Choose(Pyramid(4000, 3000), "0,0,3000,2000", "max").Path);
    }

    [Fact]
    public void A_region_outside_the_level_its_directory_describes_goes_to_libvips()
    {
        // The TIFF directory says each level is 100 px narrower than the facts the planner used.
        var decision = Choose(Pyramid(directoryWidthOffset: -100), "800,0,200,200", "max");

        Assert.Equal((RenderPath.Libvips, RenderReason.OutsideLevel), (decision.Path, decision.Reason));
    }
}
