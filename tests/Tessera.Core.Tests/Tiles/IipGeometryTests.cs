using Tessera.Core.Tiles;

namespace Tessera.Core.Tests.Tiles;

/// <summary>The expected figures are iipsrv 1.1's answers for a 2560×3837 libvips pyramid TIFF with 256 px tiles.</summary>
public sealed class IipGeometryTests
{
    private readonly IipGeometry _wine = new(2560, 3837);

    [Fact]
    public void Resolutions_count_from_the_smallest_and_halve_rounding_down_until_one_tile_holds_it()
    {
        Assert.Equal(5, _wine.ResolutionCount);
        Assert.Equal((160, 239), _wine.ResolutionSize(0));
        Assert.Equal((1280, 1918), _wine.ResolutionSize(3));
        Assert.Equal((2560, 3837), _wine.ResolutionSize(4));
        Assert.Null(_wine.ResolutionSize(5));
        Assert.Null(_wine.ResolutionSize(-1));
        Assert.Equal(1, new IipGeometry(200, 100).ResolutionCount);
    }

    [Theory]
    [InlineData(0, 0, 0, 0, 2560, 3837, 160, 239)]
    [InlineData(2, 5, 2048, 1024, 512, 1024, 128, 256)] // 3 columns at 640×959, a quarter of the full size: tile 5 ends row 1
    [InlineData(4, 39, 2304, 768, 256, 256, 256, 256)]
    [InlineData(4, 149, 2304, 3584, 256, 253, 256, 253)]
    public void Jtl_tiles_are_counted_row_by_row_and_cover_their_part_of_the_full_image(int resolution, int index, long x, long y, long w, long h, int outW, int outH) =>
        Assert.Equal(new LegacyTile(x, y, w, h, outW, outH), _wine.Tile(resolution, index));

    [Theory]
    [InlineData(4, 150)]
    [InlineData(0, 1)]
    [InlineData(5, 0)]
    [InlineData(-1, 0)]
    [InlineData(4, -1)]
    public void Tiles_outside_the_grid_do_not_exist(int resolution, long index) =>
        Assert.Null(_wine.Tile(resolution, index));

    [Theory]
    [InlineData(0, 0, 1, 1, 0, 100, 67, 100)]
    [InlineData(0, 0, 1, 1, 0, 0, 2560, 3837)]
    [InlineData(0, 0, 1, 1, 99999, 0, 3336, 5000)] // scaled up, then down to MAX_CVT
    [InlineData(0.1, 0.2, 0.5, 0.25, 200, 200, 200, 150)]
    [InlineData(0.1, 0.2, 0.5, 0.25, 200, 0, 200, 150)]
    [InlineData(0.1, 0.2, 0.5, 0.25, 0, 0, 2560, 1918)] // no size: the full image's width, the region's shape
    [InlineData(0, 0, 1, 1, 300, 300, 200, 300)]
    public void Cvt_views_are_sized_as_iipsrv_sizes_them(double left, double top, double width, double height, int wid, int hei, int outW, int outH)
    {
        var view = _wine.View(left, top, width, height, wid, hei);
        Assert.Equal((outW, outH), (view.OutputWidth, view.OutputHeight));
    }

    [Fact]
    public void A_view_region_past_the_edge_is_cut_at_the_edge_and_may_be_scaled_up()
    {
        var view = _wine.View(0.9, 0.9, 0.5, 0.5, 1000, 0);

        Assert.Equal((2304L, 3453L, 256L, 384L), (view.X, view.Y, view.Width, view.Height));
        Assert.True(view.Upscale);
        Assert.StartsWith("^1000,", view.Size, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(double.NaN, -3, 7, 0.5)]
    [InlineData(2, 2, 0, 0)]
    public void Nonsense_fractions_are_clamped_not_thrown(double left, double top, double width, double height)
    {
        var view = _wine.View(left, top, width, height, 100, 100);
        Assert.InRange(view.X + view.Width, 1, 2560);
        Assert.InRange(view.Y + view.Height, 1, 3837);
        Assert.True(view.OutputWidth >= 1 && view.OutputHeight >= 1);
    }
}
