using Tessera.Server.Tests.Fixtures;
using Tessera.Vips;

namespace Tessera.Server.Tests.Legacy;

/// <summary>
/// Tessera's IIP answers against Debian's iipsrv 1.1 (<c>iipimage-server</c>, run under lighttpd's FastCGI as the
/// benchmark runs it) on the same files: the same text answers byte for byte, the same statuses for errors, the same
/// tile geometry, and CVT views within a pixel. Skipped when iipsrv or lighttpd is not installed.
/// </summary>
public sealed class IipsrvComparisonTests(ServerFixture server, IipsrvFixture iipsrv) : IClassFixture<IipsrvFixture>
{
    private const string Path = IipsrvFixture.Path;

    private HttpClient Iipsrv => iipsrv.Client(server.Root);

    [Theory]
    [InlineData("FIF=pyramid.tif&OBJ=IIP,1.0&OBJ=Max-size&OBJ=Tile-size&OBJ=Resolution-number")]
    [InlineData("FIF=pyramid.tif&obj=IIP,1.0&obj=Max-size&obj=Tile-size&obj=Resolution-number&obj=Resolutions")]
    [InlineData("FIF=pyramid-ycbcr.tif&OBJ=IIP,1.0&OBJ=IIP-server&OBJ=Max-size&OBJ=Resolutions")]
    [InlineData("FIF=photo.jp2&OBJ=IIP,1.0&OBJ=Max-size&OBJ=Tile-size&OBJ=Resolution-number&OBJ=Resolutions")]
    [InlineData("OBJ=Max-size")]
    [InlineData("FIF=pyramid.tif&OBJ=Bogus")]
    [InlineData("FIF=pyramid.tif")]
    public async Task Text_answers_are_the_same_bytes(string query)
    {
        var (theirStatus, theirType, theirs) = await GetAsync(Iipsrv, query);
        var (ourStatus, ourType, ours) = await GetAsync(server.Client, query);

        Assert.Equal(theirStatus, ourStatus);
        Assert.Equal(theirType, ourType);
        Assert.Equal(System.Text.Encoding.ASCII.GetString(theirs), System.Text.Encoding.ASCII.GetString(ours));
    }

    [Theory]
    [InlineData("FIF=missing.tif&OBJ=Max-size")]
    [InlineData("FIF=pyramid.tif&JTL=99,0")]
    [InlineData("FIF=pyramid.tif&JTL=0,999")]
    public async Task Errors_have_the_same_status(string query)
    {
        var (theirStatus, _, _) = await GetAsync(Iipsrv, query);
        var (ourStatus, _, _) = await GetAsync(server.Client, query);
        Assert.Equal(theirStatus, ourStatus);
    }

    [Fact]
    public async Task Every_tile_has_the_same_size_and_nearly_the_same_pixels()
    {
        var (_, _, answer) = await GetAsync(Iipsrv, $"FIF={TestImages.Pyramid}&OBJ=Resolution-number&OBJ=Tile-size&OBJ=Resolutions");
        var lines = System.Text.Encoding.ASCII.GetString(answer).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var count = int.Parse(lines[0].Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
        var sizes = lines[2].Split(':')[1].Split(',').Select(s => s.Split(' ').Select(int.Parse).ToArray()).ToArray();
        for (var resolution = 0; resolution < count; resolution++)
        {
            var tiles = ((sizes[resolution][0] + 255) / 256) * ((sizes[resolution][1] + 255) / 256);
            foreach (var index in new[] { 0, tiles / 2, tiles - 1 }.Distinct())
            {
                var query = $"FIF={TestImages.Pyramid}&JTL={resolution},{index}";
                using var theirs = VipsImage.NewFromBuffer((await GetAsync(Iipsrv, query)).Body);
                using var ours = VipsImage.NewFromBuffer((await GetAsync(server.Client, query)).Body);
                Assert.Equal((theirs.Width, theirs.Height), (ours.Width, ours.Height));
                Assert.InRange(Tessera.Testing.PixelMeasures.Psnr(ours, theirs), 30, double.PositiveInfinity);
            }
        }
    }

    [Theory]
    [InlineData("WID=300&CVT=jpeg")]
    [InlineData("HEI=100&CVT=jpeg")]
    [InlineData("WID=300&HEI=300&CVT=jpeg")]
    [InlineData("RGN=0.1,0.2,0.5,0.25&WID=200&HEI=200&CVT=jpeg")]
    [InlineData("RGN=0.1,0.2,0.5,0.25&WID=200&CVT=jpeg")]
    [InlineData("RGN=0.9,0.9,0.5,0.5&WID=100&CVT=jpeg")]
    [InlineData("WID=200&QLT=99&CVT=jpeg")] // IIPMooViewer's navigation image
    public async Task Cvt_views_have_the_same_size_within_a_pixel(string view)
    {
        var query = $"FIF={TestImages.Pyramid}&{view}";
        using var theirs = VipsImage.NewFromBuffer((await GetAsync(Iipsrv, query)).Body);
        using var ours = VipsImage.NewFromBuffer((await GetAsync(server.Client, query)).Body);
        Assert.InRange(ours.Width - theirs.Width, -1, 1);
        Assert.InRange(ours.Height - theirs.Height, -1, 1);
    }

    [Theory]
    [InlineData("JTL=2,1")]
    [InlineData("WID=400&CVT=jpeg")]
    public async Task Qlt_changes_sizes_as_it_does_in_iipsrv(string command)
    {
        async Task<(int Ours, int Theirs)> SizesAsync(int quality)
        {
            var query = $"FIF={TestImages.Pyramid}&QLT={quality}&{command}";
            return ((await GetAsync(server.Client, query)).Body.Length, (await GetAsync(Iipsrv, query)).Body.Length);
        }

        var low = await SizesAsync(20);
        var high = await SizesAsync(95);

        TestContext.Current.TestOutputHelper?.WriteLine($"{command}: QLT=20 iipsrv {low.Theirs} Tessera {low.Ours}; QLT=95 iipsrv {high.Theirs} Tessera {high.Ours}");

        // Both libjpeg at the same quality: the same order and nearly the same sizes (the encoders' settings differ a little).
        Assert.True(low.Theirs < high.Theirs * 0.6 && low.Ours < high.Ours * 0.6, $"QLT=20 against 95: iipsrv {low.Theirs}/{high.Theirs}, Tessera {low.Ours}/{high.Ours}");
        Assert.InRange((double)low.Ours / low.Theirs, 0.6, 1.6);
        Assert.InRange((double)high.Ours / high.Theirs, 0.6, 1.6);
    }

    private static async Task<(int Status, string? Type, byte[] Body)> GetAsync(HttpClient client, string query)
    {
        using var response = await client.GetAsync($"{Path}?{query}");
        return ((int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), await response.Content.ReadAsByteArrayAsync());
    }
}
