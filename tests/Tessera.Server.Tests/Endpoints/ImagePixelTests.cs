using Tessera.Server.Tests.Fixtures;
using Tessera.Vips;

namespace Tessera.Server.Tests.Endpoints;

/// <summary>Pixels through the real server: the grid's known colours tell where each output pixel came from.</summary>
public sealed class ImagePixelTests(ServerFixture server)
{
    private const string Grid = "/iiif/3/grid.png";

    private static void AssertColour(VipsImage image, int x, int y, (byte R, byte G, byte B) expected, int tolerance = 6)
    {
        var p = image.GetPoint(x, y);
        Assert.True(
            Math.Abs(p[0] - expected.R) <= tolerance && Math.Abs(p[1] - expected.G) <= tolerance && Math.Abs(p[2] - expected.B) <= tolerance,
            $"pixel ({x},{y}) is {string.Join(",", p)}, expected {expected}");
    }

    [Theory]
    [InlineData("full", 1000, 1000)]
    [InlineData("square", 1000, 1000)]
    [InlineData("100,200,300,100", 300, 100)]
    [InlineData("pct:10,20,30,10", 300, 100)]
    [InlineData("900,900,500,500", 100, 100)]
    public async Task A_region_is_cut_where_it_was_asked(string region, int width, int height)
    {
        using var image = await server.GetImageAsync($"{Grid}/{region}/max/0/default.png");

        Assert.Equal((width, height), (image.Width, image.Height));
        var (x0, y0) = region switch { "100,200,300,100" or "pct:10,20,30,10" => (100, 200), "900,900,500,500" => (900, 900), _ => (0, 0) };
        AssertColour(image, 5, 5, TestImages.GridColour((x0 + 5) / 100, (y0 + 5) / 100), 0);
        AssertColour(image, width - 5, height - 5, TestImages.GridColour((x0 + width - 5) / 100, (y0 + height - 5) / 100), 0);
    }

    [Theory]
    [InlineData("200,", 200, 200)]
    [InlineData(",300", 300, 300)]
    [InlineData("pct:25", 250, 250)]
    [InlineData("150,75", 150, 75)]
    [InlineData("!400,200", 200, 200)]
    [InlineData("^1200,", 1200, 1200)]
    [InlineData("^pct:150", 1500, 1500)]
    public async Task A_size_gives_exactly_the_planned_pixels(string size, int width, int height)
    {
        using var image = await server.GetImageAsync($"{Grid}/full/{size}/0/default.png");

        Assert.Equal((width, height), (image.Width, image.Height));
        AssertColour(image, width / 20, height / 20, TestImages.GridColour(0, 0), 12);
        AssertColour(image, width - 1 - (width / 20), height - 1 - (height / 20), TestImages.GridColour(9, 9), 12);
    }

    [Fact]
    public async Task Mirroring_flips_left_and_right()
    {
        using var image = await server.GetImageAsync($"{Grid}/0,0,200,100/max/!0/default.png");

        AssertColour(image, 5, 50, TestImages.GridColour(1, 0), 0);
        AssertColour(image, 195, 50, TestImages.GridColour(0, 0), 0);
    }

    [Theory]
    [InlineData("90", 100, 200)]
    [InlineData("180", 200, 100)]
    [InlineData("270", 100, 200)]
    [InlineData("!90", 100, 200)]
    public async Task Right_angle_rotations_turn_clockwise(string rotation, int width, int height)
    {
        using var image = await server.GetImageAsync($"{Grid}/0,0,200,100/max/{rotation}/default.png");

        Assert.Equal((width, height), (image.Width, image.Height));

        // Square (0,0) of the region: after 90° clockwise it is at the top right; after 180° bottom right; 270° bottom left.
        var (x, y) = rotation switch { "90" => (95, 5), "180" => (195, 95), "270" => (5, 195), _ => (95, 195) };
        AssertColour(image, x, y, TestImages.GridColour(0, 0), 0);
    }

    [Fact]
    public async Task An_arbitrary_rotation_is_transparent_outside_the_picture_in_png_and_black_in_jpeg()
    {
        using var png = await server.GetImageAsync($"{Grid}/full/100,100/45/default.png");
        using var jpg = await server.GetImageAsync($"{Grid}/full/100,100/45/default.jpg");

        Assert.InRange(png.Width, 140, 143);
        Assert.Equal(4, png.Bands);
        Assert.Equal(0, png.GetPoint(1, 1)[3]);
        Assert.Equal(255, png.GetPoint(png.Width / 2, png.Height / 2)[3]);
        Assert.All(jpg.GetPoint(1, 1), v => Assert.True(v < 10, $"corner {v} should be black"));
    }

    [Fact]
    public async Task Gray_has_one_channel_and_bitonal_only_black_and_white()
    {
        using var gray = await server.GetImageAsync("/iiif/3/photo.jpg/full/300,/0/gray.png");
        using var bitonal = await server.GetImageAsync("/iiif/3/photo.jpg/full/300,/0/bitonal.png");
        using var histogram = bitonal.Call("hist_find");
        var counts = histogram.ToPixels();

        Assert.Equal(1, gray.Bands);
        Assert.Equal(1, bitonal.Bands);
        var bins = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(counts);
        for (var v = 1; v < 255; v++)
        {
            Assert.Equal(0u, bins[v]);
        }

        Assert.True(bins[0] > 0 && bins[255] > 0);
    }

    [Theory]
    [InlineData("jpg", "jpegload")]
    [InlineData("png", "pngload")]
    [InlineData("webp", "webpload")]
    [InlineData("tif", "tiffload")]
    [InlineData("gif", "gifload")]
    [InlineData("jp2", "jp2kload")]
    [InlineData("avif", "heifload")]
    public async Task Every_format_decodes_to_the_requested_size(string format, string loader)
    {
        using var response = await server.Client.GetAsync($"{Grid}/0,0,300,200/150,/0/default.{format}");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var path = Path.Combine(Path.GetTempPath(), $"tessera-{Guid.NewGuid():N}.{format}");
        await File.WriteAllBytesAsync(path, bytes);
        try
        {
            Assert.Equal(loader, VipsImage.FindLoader(path));
            using var image = VipsImage.NewFromFile(path);
            Assert.Equal((150, 100), (image.Width, image.Height));
            AssertColour(image, 20, 20, TestImages.GridColour(0, 0), 24);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(TestImages.Pyramid)]
    [InlineData(TestImages.Alpha)]
    [InlineData(TestImages.Deep)]
    [InlineData(TestImages.Cmyk)]
    [InlineData(TestImages.Grey)]
    [InlineData(TestImages.Rotated)]
    public async Task Every_kind_of_source_comes_out_as_8_bit_srgb_jpeg(string identifier)
    {
        using var image = await server.GetImageAsync($"/iiif/3/{identifier}/full/!200,200/0/default.jpg");

        Assert.Equal(BandFormat.UChar, image.Format);
        Assert.Contains(image.Bands, new[] { 1, 3 });
        Assert.True(image.Width == 200 || image.Height == 200);
    }

    public static TheoryData<string> OtherFormats => [.. TestImages.OtherFormats];

    [Theory]
    [MemberData(nameof(OtherFormats))]
    public async Task Every_source_format_serves_its_size_and_the_same_pixels_as_the_jpeg(string identifier)
    {
        var info = System.Text.Json.Nodes.JsonNode.Parse(await server.Client.GetStringAsync($"/iiif/3/{identifier}/info.json"))!;
        using var fromFormat = await server.GetImageAsync($"/iiif/3/{identifier}/300,200,400,300/200,/0/default.png");
        using var fromJpeg = await server.GetImageAsync("/iiif/3/photo.jpg/300,200,400,300/200,/0/default.png");
        using var difference = VipsOperation.Image("subtract", ("left", fromFormat), ("right", fromJpeg));
        using var absolute = difference.Call("abs");

        Assert.Equal((1200, 800), ((int)info["width"]!, (int)info["height"]!));
        Assert.Equal((200, 150), (fromFormat.Width, fromFormat.Height));
        Assert.True(absolute.Average() < (identifier.EndsWith(".gif", StringComparison.Ordinal) ? 14 : 6), $"{identifier}: mean difference {absolute.Average()}");
    }

    [Fact]
    public async Task A_cmyk_source_keeps_its_colours()
    {
        using var fromRgb = await server.GetImageAsync("/iiif/3/photo.jpg/full/64,/0/default.png");
        using var fromCmyk = await server.GetImageAsync("/iiif/3/cmyk.jpg/full/64,/0/default.png");
        using var difference = VipsOperation.Image("subtract", ("left", fromRgb), ("right", fromCmyk)).Call("abs");

        Assert.True(difference.Average() < 20, $"mean difference {difference.Average()}");
    }

    [Fact]
    public async Task Exif_orientation_is_applied_to_size_and_pixels()
    {
        using var upright = await server.GetImageAsync("/iiif/3/photo.jpg/full/max/90/default.png");
        using var rotated = await server.GetImageAsync("/iiif/3/rotated.jpg/full/max/0/default.png");

        Assert.Equal((upright.Width, upright.Height), (rotated.Width, rotated.Height));
        Assert.True(rotated.Height > rotated.Width);
        using var difference = VipsOperation.Image("subtract", ("left", upright), ("right", rotated)).Call("abs");
        Assert.True(difference.Average() < 6, $"mean difference {difference.Average()}");
    }

    [Fact]
    public async Task A_pyramid_tile_matches_the_same_region_of_the_plain_jpeg()
    {
        using var fromTiff = await server.GetImageAsync("/iiif/3/pyramid.tif/512,256,256,256/128,/0/default.png");
        using var fromJpeg = await server.GetImageAsync("/iiif/3/photo.jpg/512,256,256,256/128,/0/default.png");
        using var difference = VipsOperation.Image("subtract", ("left", fromTiff), ("right", fromJpeg)).Call("abs");

        Assert.Equal((128, 128), (fromTiff.Width, fromTiff.Height));
        Assert.True(difference.Average() < 6, $"mean difference {difference.Average()}");
    }
}
