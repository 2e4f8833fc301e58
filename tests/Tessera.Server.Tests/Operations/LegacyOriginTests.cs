using System.Net;
using Tessera.Core.Tiles;

namespace Tessera.Server.Tests.Operations;

/// <summary>
/// Deep Zoom, Zoomify and IIP tiles say where their bytes came from, in their answer, in the metrics and in the access
/// log, as the Image API's do: a stored tile is <c>stored-tile</c>, a render <c>rendered</c> (or the fast path that made
/// it), a repeat <c>cache-memory</c>; only the descriptors are <c>none</c>.
/// </summary>
public sealed class LegacyOriginTests
{
    private const string IipPath = "/fcgi-bin/iipsrv.fcgi";

    [Fact]
    public async Task Legacy_tiles_are_labelled_with_their_real_origin_in_the_scrape()
    {
        await using var server = await OperationsServer.StartAsync(o => o with { IipPath = IipPath });
        var before = await server.ScrapeAsync();

        // Full resolution, 256-pixel cells of a pyramid stored in 256-pixel tiles: stored tiles. A small level: a render,
        // then the same again from the memory cache.
        var zoomifyInfo = await server.Client.GetStringAsync($"/zoomify/{OperationsServer.Pyramid}/ImageProperties.xml", TestContext.Current.CancellationToken);
        var height = int.Parse(System.Xml.Linq.XElement.Parse(zoomifyInfo).Attribute("HEIGHT")!.Value, System.Globalization.CultureInfo.InvariantCulture);
        var deepZoom = new DeepZoomGeometry(1200, height);
        var zoomify = new ZoomifyGeometry(1200, height);
        var iip = new IipGeometry(1200, height, 256, 256);
        var top = zoomify.Tiers - 1;
        var origins = new List<string>
        {
            await OriginAsync(server, $"/deepzoom/{OperationsServer.Pyramid}_files/{deepZoom.MaxLevel}/1_0.jpg"),
            await OriginAsync(server, $"/zoomify/{OperationsServer.Pyramid}/TileGroup{zoomify.TileGroup(top, 0, 0)}/{top}-0-0.jpg"),
            await OriginAsync(server, $"{IipPath}?FIF={OperationsServer.Pyramid}&JTL={iip.ResolutionCount - 1},0"),
            await OriginAsync(server, $"/deepzoom/{OperationsServer.Pyramid}_files/6/0_0.jpg"),
            await OriginAsync(server, $"/deepzoom/{OperationsServer.Pyramid}_files/6/0_0.jpg"),
        };
        await OriginAsync(server, $"/deepzoom/{OperationsServer.Pyramid}.dzi", expected: null);

        Assert.Equal(["stored-tile", "stored-tile", "stored-tile"], origins[..3]);
        Assert.NotEqual("stored-tile", origins[3]);
        Assert.Equal("cache", origins[4]);
        var after = await server.ScrapeAsync();
        double Delta(string name, params (string, string)[] labels) => after.Sum(name, labels) - before.Sum(name, labels);
        Assert.Equal(2, Delta("tessera_requests_total", ("route", "legacy"), ("origin", "stored-tile")));
        Assert.Equal(1, Delta("tessera_requests_total", ("route", "other"), ("origin", "stored-tile")));
        Assert.Equal(1, Delta("tessera_requests_total", ("route", "legacy"), ("origin", origins[3])));
        Assert.Equal(1, Delta("tessera_requests_total", ("route", "legacy"), ("origin", "cache-memory")));
        Assert.Equal(2, Delta("tessera_requests_total", ("route", "legacy"), ("origin", "none")));
        Assert.Equal(3, Delta("tessera_render_duration_seconds_count", ("path", "stored-tile")));
        Assert.Equal(4, Delta("tessera_render_duration_seconds_count"));
    }

    /// <summary>GETs a legacy path and returns its <c>X-Tessera-Origin</c>.</summary>
    private static async Task<string> OriginAsync(OperationsServer server, string path, string? expected = "any")
    {
        using var response = await server.Client.GetAsync(path, TestContext.Current.CancellationToken);
        await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
        var origin = response.Headers.TryGetValues("X-Tessera-Origin", out var values) ? values.Single() : null;
        if (expected is null)
        {
            Assert.Null(origin);
        }

        return origin ?? "none";
    }
}
