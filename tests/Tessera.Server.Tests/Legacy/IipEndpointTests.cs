using System.Net;
using System.Text;
using System.Text.Json;
using Tessera.Core.Tiles;
using Tessera.Imaging.Batch;
using Tessera.Server.Tests.Fixtures;
using Tessera.Testing;
using Tessera.Vips;

namespace Tessera.Server.Tests.Legacy;

/// <summary>The IIP protocol as IIPMooViewer speaks it: OBJ queries first, then JTL tiles, and CVT for its navigator.</summary>
public sealed class IipEndpointTests(ServerFixture server)
{
    private const string Path = "/fcgi-bin/iipsrv.fcgi";

    private async Task<IipGeometry> GeometryAsync(string id)
    {
        using var info = JsonDocument.Parse(await server.Client.GetStringAsync($"/iiif/3/{id}/info.json"));
        return new IipGeometry(info.RootElement.GetProperty("width").GetInt32(), info.RootElement.GetProperty("height").GetInt32());
    }

    [Fact]
    public async Task The_viewers_object_queries_are_answered_in_iipsrvs_text_format()
    {
        var geometry = await GeometryAsync(TestImages.Pyramid);

        using var response = await server.Client.GetAsync($"{Path}?FIF={TestImages.Pyramid}&obj=IIP,1.0&obj=Max-size&obj=Tile-size&obj=Resolution-number");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.netfpx", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal($"IIP:1.0\r\nMax-size:{geometry.Width} {geometry.Height}\r\nTile-size:256 256\r\nResolution-number:{geometry.ResolutionCount}\r\n", body);
    }

    [Fact]
    public async Task A_jtl_tile_is_the_same_bytes_as_the_iiif_request_it_stands_for()
    {
        var geometry = await GeometryAsync(TestImages.Pyramid);
        var top = geometry.ResolutionCount - 1;
        var (columns, rows) = geometry.TileCount(top);
        var last = (columns * rows) - 1;
        var tile = geometry.Tile(top, last)!.Value;

        var iip = await server.Client.GetByteArrayAsync($"{Path}?FIF={TestImages.Pyramid}&JTL={top},{last}");
        var iiif = await server.Client.GetByteArrayAsync($"/iiif/3/{TestImages.Pyramid}/{tile.Region}/{tile.Size}/0/default.jpg");

        Assert.Equal(iiif, iip);
        using var image = VipsImage.NewFromBuffer(iip);
        Assert.Equal((tile.OutputWidth, tile.OutputHeight), (image.Width, image.Height));
    }

    [Fact]
    public async Task Every_tile_of_the_smaller_resolutions_has_its_grid_size()
    {
        var geometry = await GeometryAsync(TestImages.Photo);
        for (var resolution = 0; resolution < Math.Min(3, geometry.ResolutionCount); resolution++)
        {
            var (columns, rows) = geometry.TileCount(resolution);
            for (var index = 0; index < columns * rows; index++)
            {
                var tile = geometry.Tile(resolution, index)!.Value;
                using var image = await server.GetImageAsync($"{Path}?FIF={TestImages.Photo}&JTL={resolution},{index}");
                Assert.Equal((tile.OutputWidth, tile.OutputHeight), (image.Width, image.Height));
            }
        }
    }

    [Fact]
    public async Task A_cvt_view_is_scaled_as_asked_and_named_after_the_image()
    {
        var geometry = await GeometryAsync(TestImages.Pyramid);
        var expected = geometry.View(0.25, 0.25, 0.5, 0.5, 200, 0);

        using var response = await server.Client.GetAsync($"{Path}?FIF={TestImages.Pyramid}&RGN=0.25,0.25,0.5,0.5&WID=200&QLT=75&CVT=jpeg");
        using var image = VipsImage.NewFromBuffer(await response.Content.ReadAsByteArrayAsync());

        Assert.Equal("image/jpeg", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(("inline", "pyramid.jpg"), (response.Content.Headers.ContentDisposition!.DispositionType, response.Content.Headers.ContentDisposition.FileName));
        Assert.Equal((200, expected.OutputHeight), (image.Width, image.Height));
    }

    [Theory]
    [InlineData("OBJ=Max-size", 400, "Error/12:1 3 max-size\r\n")]
    [InlineData("FIF=pyramid.tif&OBJ=Bogus", 400, "Error/9:3 2 bogus\r\n")]
    [InlineData("FIF=pyramid.tif", 400, "Error/19:2 1 FIF=pyramid.tif\r\n")]
    [InlineData("FIF=missing.tif&OBJ=Max-size", 404, "missing.tif is neither a file nor part of an image sequence")]
    [InlineData("FIF=pyramid.tif&JTL=99,0", 404, "Asked for non-existent resolution: 99")]
    [InlineData("FIF=pyramid.tif&JTL=0,999999", 404, "Asked for non-existent tile: 999999")]
    public async Task Errors_are_answered_as_iipsrv_answers_them(string query, int status, string body)
    {
        using var response = await server.Client.GetAsync($"{Path}?{query}");

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
    }

    [Theory]
    [InlineData("FIF=../../etc/passwd&OBJ=Max-size")]
    [InlineData("FIF=%00&JTL=0,0")]
    [InlineData("FIF=pyramid.tif&JTL=-1,-1")]
    [InlineData("FIF=pyramid.tif&JTL=2147483647,9223372036854775807")]
    [InlineData("FIF=pyramid.tif&RGN=NaN,1e308,-1e308,x&WID=-5&HEI=999999999&CVT=jpeg")]
    [InlineData("FIF=pyramid.tif&CVT=png&WID=1")]
    [InlineData("FIF=fake.jpg&JTL=0,0")]
    [InlineData("FIF=truncated.jpg&OBJ=Max-size")]
    [InlineData("&&==&FIF&OBJ&JTL&CVT")]
    [InlineData("FIF=%ZZ&OBJ=IIP,1.0")]
    public async Task Hostile_queries_are_answered_never_crash(string query)
    {
        using var response = await server.Client.GetAsync($"{Path}?{query}");

        var body = await response.Content.ReadAsStringAsync();

        // A damaged source is the operator's problem (5xx, logged); anything else is the client's or an answer.
        var damaged = query.Contains("fake", StringComparison.Ordinal) || query.Contains("truncated", StringComparison.Ordinal);
        Assert.True(damaged || (int)response.StatusCode < 500, $"{query}: {(int)response.StatusCode} {body}");
        Assert.DoesNotContain("exception", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(server.Root, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_htj2k_master_converted_by_tessera_is_served_close_to_its_master()
    {
        var master = System.IO.Path.Combine(server.Root, "ht-masters", "wine.jpg");
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(master)!);
        File.Copy(Samples.PathOf(Samples.Wine), master, overwrite: true);
        var summary = await new MasterConverter(new ConvertOptions { Output = System.IO.Path.Combine(server.Root, "ht"), Format = ConvertFormat.Htj2k, Quality = 100, Jobs = 1 }).RunAsync([master]);
        Assert.True(summary.Succeeded, string.Join("\n", summary.Failures));

        using var expected = VipsImage.NewFromFile(master);
        using var served = await server.GetImageAsync("/iiif/3/ht%2Fwine.jph/full/max/0/default.png");
        Assert.Equal(double.PositiveInfinity, PixelMeasures.Psnr(served, expected));

        // Decoded by OpenJPEG called directly (HT code-blocks and all), not handed to libvips.
        using (var tileResponse = await server.Client.GetAsync("/iiif/3/ht%2Fwine.jph/0,0,256,256/256,256/0/default.jpg"))
        {
            Assert.Equal("openjpeg", tileResponse.Headers.GetValues("X-Tessera-Origin").Single());
        }

        var geometry = await GeometryAsync("ht%2Fwine.jph");
        var top = geometry.ResolutionCount - 1;
        var tile = geometry.Tile(top, 0)!.Value;
        using var jtl = await server.GetImageAsync($"{Path}?FIF=ht/wine.jph&JTL={top},0");
        using var region = expected.ExtractArea(0, 0, tile.OutputWidth, tile.OutputHeight);
        Assert.InRange(PixelMeasures.Psnr(jtl, region), 38, double.PositiveInfinity); // the JPEG at Q90 of lossless pixels
    }

    [Fact]
    public async Task A_truncated_htj2k_file_is_an_error_never_a_partial_image()
    {
        var output = System.IO.Path.Combine(server.Root, "ht-truncated");
        var summary = await new MasterConverter(new ConvertOptions { Output = output, Format = ConvertFormat.Htj2k, Jobs = 1 }).RunAsync([System.IO.Path.Combine(server.Root, TestImages.Photo)]);
        Assert.True(summary.Succeeded, string.Join("\n", summary.Failures));
        var file = System.IO.Path.Combine(output, "photo.jph");
        var bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..(bytes.Length * 2 / 3)]);

        using var response = await server.Client.GetAsync($"{Path}?FIF=ht-truncated/photo.jph&JTL=0,0");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("truncated", body, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Root, body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)] // an interior tile: its stored bytes are sent as they are
    [InlineData(true)] // an edge tile: cropped from its stored frame, and cached
    public async Task Qlt_sets_a_tiles_quality_and_without_it_the_stored_tile_is_sent(bool edge)
    {
        var geometry = await GeometryAsync(TestImages.Pyramid);
        var top = geometry.ResolutionCount - 1;
        var (columns, rows) = geometry.TileCount(top);
        var index = edge ? (columns * rows) - 1 : 0;
        var tile = geometry.Tile(top, index)!.Value;
        var jtl = $"{Path}?FIF={TestImages.Pyramid}&JTL={top},{index}";

        // Asked at a low quality first, so a cache that kept it under the plain tile's key would show below.
        var low = await server.Client.GetByteArrayAsync($"{Path}?FIF={TestImages.Pyramid}&QLT=20&JTL={top},{index}");
        var plain = await server.Client.GetByteArrayAsync(jtl);
        var servers = await server.Client.GetByteArrayAsync($"{Path}?FIF={TestImages.Pyramid}&QLT=90&JTL={top},{index}");
        var iiif = await server.Client.GetByteArrayAsync($"/iiif/3/{TestImages.Pyramid}/{tile.Region}/{tile.Size}/0/default.jpg");

        TestContext.Current.TestOutputHelper?.WriteLine($"JTL {top},{index}: {low.Length} bytes at QLT=20, {plain.Length} stored");
        Assert.Equal(iiif, plain);
        Assert.Equal(iiif, servers); // QLT at the server's own quality (90) changes nothing
        Assert.True(low.Length < plain.Length * 0.6, $"QLT=20 tile of {low.Length} bytes against {plain.Length} without QLT");
        using var lowImage = VipsImage.NewFromBuffer(low);
        using var plainImage = VipsImage.NewFromBuffer(plain);
        Assert.Equal((plainImage.Width, plainImage.Height), (lowImage.Width, lowImage.Height));
        Assert.InRange(PixelMeasures.Psnr(lowImage, plainImage), 24, 40);
    }

    [Fact]
    public async Task Qlt_sets_a_views_quality()
    {
        async Task<byte[]> View(string qlt) => await server.Client.GetByteArrayAsync($"{Path}?FIF={TestImages.Pyramid}&WID=500{qlt}&CVT=jpeg");

        var low = await View("&QLT=30");
        var plain = await View(string.Empty);
        var high = await View("&QLT=98");

        Assert.Equal(plain, await View("&QLT=90"));
        Assert.True(low.Length < plain.Length && plain.Length < high.Length, $"sizes at QLT=30, none, 98: {low.Length}, {plain.Length}, {high.Length}");
        using var lowImage = VipsImage.NewFromBuffer(low);
        using var highImage = VipsImage.NewFromBuffer(high);
        Assert.Equal((500, highImage.Height), (lowImage.Width, lowImage.Height));
    }

    [Theory]
    [InlineData("50", 50)]
    [InlineData("75abc", 75)] // atoi reads the leading digits
    [InlineData(" 60 ", 60)]
    [InlineData("0", 1)] // libjpeg's floor
    [InlineData("-5", 1)]
    [InlineData("150", 100)]
    [InlineData("99999999999999", 100)]
    [InlineData("abc", 1)] // atoi: 0
    [InlineData("90", null)] // the server's own quality
    public void Qlt_values_are_read_and_clamped_as_iipsrv_reads_them(string argument, int? expected) =>
        Assert.Equal(expected, Tessera.Server.Legacy.IipEndpoints.Quality(argument, serverQuality: 90));

    [Fact]
    public void Query_commands_keep_their_order_and_decode_their_values() =>
        Assert.Equal(
            [("fif", "a b/c.tif"), ("obj", "IIP,1.0"), ("jtl", "3,4"), ("cvt", "")],
            Tessera.Server.Legacy.IipEndpoints.Commands("?FIF=a+b%2Fc.tif&obj=IIP,1.0&JTL=3,4&CVT").ToList());
}
