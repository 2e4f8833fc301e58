using Tessera.Core.Tiles;
using System.Net;
using System.Xml.Linq;
using Tessera.Server.Legacy;
using Tessera.Server.Tests.Fixtures;

namespace Tessera.Server.Tests.Legacy;

public sealed class LegacyEndpointTests(ServerFixture server)
{
    private async Task<(int Width, int Height)> DziSizeAsync(string id)
    {
        var xml = XElement.Parse(await server.Client.GetStringAsync($"/deepzoom/{id}.dzi"));
        var size = xml.Elements().Single();
        return ((int)size.Attribute("Width")!, (int)size.Attribute("Height")!);
    }

    [Fact]
    public async Task The_dzi_descriptor_gives_the_displayed_size_with_cors()
    {
        using var response = await server.Client.GetAsync($"/deepzoom/{TestImages.Pyramid}.dzi");
        var info = await server.GetImageAsync($"/iiif/3/{TestImages.Pyramid}/full/max/0/default.png");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/xml", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal((info.Width, info.Height), await DziSizeAsync(TestImages.Pyramid));
    }

    [Theory]
    [InlineData(TestImages.Pyramid)]
    [InlineData(TestImages.Photo)]
    [InlineData(TestImages.Rotated)]
    public async Task Deep_zoom_tiles_have_the_geometry_of_their_level_edges_included(string id)
    {
        var (width, height) = await DziSizeAsync(id);
        var dzi = new DeepZoomGeometry(width, height);
        foreach (var level in new[] { 0, 1, dzi.MaxLevel - 1, dzi.MaxLevel })
        {
            var (columns, rows) = dzi.TileCount(level);
            foreach (var (column, row) in new[] { (0, 0), (columns - 1, 0), (0, rows - 1), (columns - 1, rows - 1) })
            {
                var tile = dzi.Tile(level, column, row)!.Value;
                using var image = await server.GetImageAsync($"/deepzoom/{id}_files/{level}/{column}_{row}.jpg");
                Assert.Equal((tile.OutputWidth, tile.OutputHeight), (image.Width, image.Height));
            }
        }
    }

    [Fact]
    public async Task A_deep_zoom_tile_is_the_same_bytes_as_the_iiif_request_it_stands_for()
    {
        var (width, height) = await DziSizeAsync(TestImages.Pyramid);
        var dzi = new DeepZoomGeometry(width, height);
        var (columns, rows) = dzi.TileCount(dzi.MaxLevel - 1);
        var tile = dzi.Tile(dzi.MaxLevel - 1, columns - 1, rows - 1)!.Value;

        var legacy = await server.Client.GetByteArrayAsync($"/deepzoom/{TestImages.Pyramid}_files/{dzi.MaxLevel - 1}/{columns - 1}_{rows - 1}.jpg");
        var iiif = await server.Client.GetByteArrayAsync($"/iiif/3/{TestImages.Pyramid}/{tile.Region}/{tile.Size}/0/default.jpg");

        Assert.Equal(iiif, legacy);
    }

    [Fact]
    public async Task Nested_identifiers_work_encoded_or_not()
    {
        using var encoded = await server.Client.GetAsync("/deepzoom/sub%2Fdir%2Fnested.jpg_files/0/0_0.jpg");
        using var plain = await server.Client.GetAsync("/zoomify/sub/dir/nested.jpg/ImageProperties.xml");

        Assert.Equal(HttpStatusCode.OK, encoded.StatusCode);
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
    }

    [Fact]
    public async Task Zoomify_tiles_have_the_geometry_of_their_tier_in_the_right_tile_group()
    {
        var xml = XElement.Parse(await server.Client.GetStringAsync($"/zoomify/{TestImages.Photo}/ImageProperties.xml"));
        var zoomify = new ZoomifyGeometry((int)xml.Attribute("WIDTH")!, (int)xml.Attribute("HEIGHT")!);
        Assert.Equal(zoomify.TileCount, (int)xml.Attribute("NUMTILES")!);
        Assert.Equal(256, (int)xml.Attribute("TILESIZE")!);

        foreach (var tier in new[] { 0, zoomify.Tiers - 1 })
        {
            var (columns, rows) = zoomify.TierTiles(tier);
            foreach (var (column, row) in new[] { (0, 0), (columns - 1, rows - 1) })
            {
                var tile = zoomify.Tile(tier, column, row)!.Value;
                using var image = await server.GetImageAsync($"/zoomify/{TestImages.Photo}/TileGroup{zoomify.TileGroup(tier, column, row)}/{tier}-{column}-{row}.jpg");
                Assert.Equal((tile.OutputWidth, tile.OutputHeight), (image.Width, image.Height));
            }
        }
    }

    [Theory]
    [InlineData("/deepzoom/pyramid.tif_files/99/0_0.jpg", HttpStatusCode.NotFound)]
    [InlineData("/deepzoom/pyramid.tif_files/0/1_0.jpg", HttpStatusCode.NotFound)]
    [InlineData("/deepzoom/pyramid.tif_files/0/0_0.png", HttpStatusCode.BadRequest)]
    [InlineData("/deepzoom/pyramid.tif_files/a/0_0.jpg", HttpStatusCode.BadRequest)]
    [InlineData("/deepzoom/pyramid.tif_files/0/-1_0.jpg", HttpStatusCode.BadRequest)]
    [InlineData("/deepzoom/pyramid.tif_files/0/0_0_0.jpg", HttpStatusCode.BadRequest)]
    [InlineData("/deepzoom/missing.tif.dzi", HttpStatusCode.NotFound)]
    [InlineData("/deepzoom/missing.tif_files/0/0_0.jpg", HttpStatusCode.NotFound)]
    [InlineData("/deepzoom/%2E%2E%2Fsecret.jpg.dzi", HttpStatusCode.BadRequest)]
    [InlineData("/deepzoom/pyramid.tif", HttpStatusCode.NotFound)]
    [InlineData("/deepzoom/fake.jpg.dzi", HttpStatusCode.InternalServerError)]
    [InlineData("/zoomify/photo.jpg/TileGroup1/0-0-0.jpg", HttpStatusCode.NotFound)]
    [InlineData("/zoomify/photo.jpg/TileGroup0/9-0-0.jpg", HttpStatusCode.NotFound)]
    [InlineData("/zoomify/photo.jpg/TileGroup0/0-0.jpg", HttpStatusCode.BadRequest)]
    [InlineData("/zoomify/photo.jpg/TileGroupX/0-0-0.jpg", HttpStatusCode.BadRequest)]
    [InlineData("/zoomify/photo.jpg/TileGroup0/0-0-x.jpg", HttpStatusCode.BadRequest)]
    [InlineData("/zoomify/missing.jpg/ImageProperties.xml", HttpStatusCode.NotFound)]
    [InlineData("/zoomify/photo.jpg", HttpStatusCode.NotFound)]
    [InlineData("/zoomify/escape.jpg/ImageProperties.xml", HttpStatusCode.NotFound)]
    public async Task Bad_and_unknown_tiles_are_refused(string path, HttpStatusCode expected)
    {
        using var response = await server.Client.GetAsync(path);

        Assert.Equal(expected, response.StatusCode);
    }
}
