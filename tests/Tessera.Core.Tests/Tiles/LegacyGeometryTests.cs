using Tessera.Core.Tiles;

namespace Tessera.Core.Tests.Tiles;

public sealed class LegacyGeometryTests
{
    [Theory]
    [InlineData(1, 1, 0)]
    [InlineData(2, 1, 1)]
    [InlineData(256, 100, 8)]
    [InlineData(257, 100, 9)]
    [InlineData(2560, 3837, 12)]
    [InlineData(4096, 10, 12)]
    public void Deep_zoom_levels_go_up_to_ceil_log2_of_the_longer_side(int width, int height, int maxLevel) =>
        Assert.Equal(maxLevel, new DeepZoomGeometry(width, height).MaxLevel);

    [Fact]
    public void Deep_zoom_levels_halve_rounding_up_down_to_one_pixel()
    {
        var dzi = new DeepZoomGeometry(2560, 3837);

        Assert.Equal((2560, 3837), dzi.LevelSize(12));
        Assert.Equal((1280, 1919), dzi.LevelSize(11));
        Assert.Equal((2, 2), dzi.LevelSize(1));
        Assert.Equal((1, 1), dzi.LevelSize(0));
        Assert.Equal((10, 15), dzi.TileCount(12));
        Assert.Equal((5, 8), dzi.TileCount(11));
    }

    [Fact]
    public void Deep_zoom_tiles_map_to_iiif_regions_and_sizes_edges_included()
    {
        var dzi = new DeepZoomGeometry(2560, 3837);

        Assert.Equal(new LegacyTile(0, 0, 256, 256, 256, 256), dzi.Tile(12, 0, 0));
        Assert.Equal(new LegacyTile(2304, 3584, 256, 253, 256, 253), dzi.Tile(12, 9, 14));
        Assert.Equal(new LegacyTile(2048, 3584, 512, 253, 256, 127), dzi.Tile(11, 4, 7));
        Assert.Equal(new LegacyTile(0, 0, 2560, 3837, 1, 1), dzi.Tile(0, 0, 0));
        Assert.Equal(new LegacyTile(0, 0, 2560, 3837, 2, 2), dzi.Tile(1, 0, 0));
        Assert.Null(dzi.Tile(1, 1, 1));
    }

    [Theory]
    [InlineData(13, 0, 0)]
    [InlineData(12, 10, 0)]
    [InlineData(12, 0, 15)]
    [InlineData(-1, 0, 0)]
    [InlineData(0, 1, 0)]
    public void Deep_zoom_tiles_outside_the_pyramid_do_not_exist(int level, int column, int row) =>
        Assert.Null(new DeepZoomGeometry(2560, 3837).Tile(level, column, row));

    [Fact]
    public void Deep_zoom_descriptor_states_format_overlap_tile_size_and_size()
    {
        var xml = System.Xml.Linq.XElement.Parse(new DeepZoomGeometry(2560, 3837).Descriptor());
        System.Xml.Linq.XNamespace ns = "http://schemas.microsoft.com/deepzoom/2008";

        Assert.Equal(ns + "Image", xml.Name);
        Assert.Equal("jpg", (string?)xml.Attribute("Format"));
        Assert.Equal("0", (string?)xml.Attribute("Overlap"));
        Assert.Equal("256", (string?)xml.Attribute("TileSize"));
        Assert.Equal("2560", (string?)xml.Element(ns + "Size")!.Attribute("Width"));
        Assert.Equal("3837", (string?)xml.Element(ns + "Size")!.Attribute("Height"));
    }

    [Fact]
    public void Zoomify_tiers_halve_rounding_down_until_one_tile_smallest_first()
    {
        var zoomify = new ZoomifyGeometry(2560, 3837);

        Assert.Equal(5, zoomify.Tiers);
        Assert.Equal((160, 239), zoomify.TierSize(0));
        Assert.Equal((1280, 1918), zoomify.TierSize(3));
        Assert.Equal((2560, 3837), zoomify.TierSize(4));
        Assert.Equal((10, 15), zoomify.TierTiles(4));
        Assert.Equal(1 + 4 + 12 + 40 + 150, zoomify.TileCount);
        Assert.Contains("NUMTILES=\"207\"", zoomify.Descriptor(), StringComparison.Ordinal);
        Assert.Contains("WIDTH=\"2560\" HEIGHT=\"3837\"", zoomify.Descriptor(), StringComparison.Ordinal);
    }

    [Fact]
    public void Zoomify_tiles_map_to_iiif_regions_edges_reaching_the_image_border()
    {
        var zoomify = new ZoomifyGeometry(2560, 3837);

        Assert.Equal(new LegacyTile(0, 0, 2560, 3837, 160, 239), zoomify.Tile(0, 0, 0));
        Assert.Equal(new LegacyTile(2304, 3584, 256, 253, 256, 253), zoomify.Tile(4, 9, 14));
        Assert.Equal(new LegacyTile(2048, 3584, 512, 253, 256, 126), zoomify.Tile(3, 4, 7));
        Assert.Equal(new LegacyTile(0, 512, 512, 512, 256, 256), zoomify.Tile(3, 0, 1));
        Assert.Null(zoomify.Tile(5, 0, 0));
        Assert.Null(zoomify.Tile(4, 10, 0));
    }

    [Fact]
    public void Zoomify_tile_groups_hold_256_tiles_counted_across_tiers()
    {
        // 5000² has tiers 156, 312, 625, 1250, 2500, 5000: 1 + 4 + 9 + 25 + 100 = 139 tiles before the last.
        var zoomify = new ZoomifyGeometry(5000, 5000);

        Assert.Equal(0, zoomify.TileGroup(0, 0, 0));
        Assert.Equal(0, zoomify.TileGroup(5, 0, 0));
        Assert.Equal(0, zoomify.TileGroup(5, 16, 5));
        Assert.Equal(1, zoomify.TileGroup(5, 17, 5));
        Assert.Equal((139 + 400 - 1) / 256, zoomify.TileGroup(5, 19, 19));
    }
}
