using System.Net;
using System.Net.Http.Headers;
using Tessera.Server.Tests.Fixtures;
using Tessera.Vips;

namespace Tessera.Server.Tests.Endpoints;

/// <summary>Stored-tile passthrough, derivative caches and HTTP validators, through the real server.</summary>
public sealed class CachingTests(ServerFixture server)
{
    private static string Origin(HttpResponseMessage response) => response.Headers.GetValues("X-Tessera-Origin").Single();

    [Theory]
    [InlineData(TestImages.Pyramid, "0,0,256,256/256,256")]
    [InlineData(TestImages.Pyramid, "256,512,256,256/256,256")]
    [InlineData(TestImages.Pyramid, "1024,512,176,256/176,256")]
    [InlineData(TestImages.Pyramid, "1024,768,176,32/176,32")]
    [InlineData(TestImages.Pyramid, "512,512,512,288/256,144")]
    [InlineData(TestImages.Pyramid, "0,0,1200,800/150,100")]
    [InlineData(TestImages.PyramidYCbCr, "0,0,256,256/256,256")]
    [InlineData(TestImages.PyramidYCbCr, "1024,768,176,32/176,32")]
    [InlineData(TestImages.PyramidYCbCr, "1024,0,176,512/88,256")]
    [InlineData(TestImages.PyramidSrgb, "256,256,256,256/256,256")]
    [InlineData(TestImages.PyramidSrgb, "1024,768,176,32/176,32")]
    public async Task A_stored_tile_is_sent_as_it_is_and_shows_the_same_pixels_as_a_render(string identifier, string regionAndSize)
    {
        using var tile = await server.Client.GetAsync($"/iiif/3/{identifier}/{regionAndSize}/0/default.jpg");
        using var rendered = await server.Client.GetAsync($"/iiif/3/{identifier}/{regionAndSize}/0/default.png");
        using var fromTile = VipsImage.NewFromBuffer(await tile.Content.ReadAsByteArrayAsync());
        using var fromRender = VipsImage.NewFromBuffer(await rendered.Content.ReadAsByteArrayAsync());
        var size = regionAndSize.Split('/')[1].Split(',').Select(int.Parse).ToArray();

        // Edge tiles are cropped, and cropped ones are cached: another test may have asked for this one already.
        Assert.Contains(Origin(tile), new[] { "stored-tile", "cache" });
        Assert.Equal((size[0], size[1]), (fromTile.Width, fromTile.Height));
        Assert.Equal((size[0], size[1]), (fromRender.Width, fromRender.Height));
        using var difference = VipsOperation.Image("subtract", ("left", fromTile), ("right", fromRender));
        using var absolute = difference.Call("abs");
        Assert.True(absolute.Average() < 1.5, $"mean difference {absolute.Average()}");
    }

    [Theory]
    [InlineData(TestImages.PyramidSrgb, "512,0,256,256/256,256", "stored-tile")]
    [InlineData(TestImages.PyramidSrgb, "100,100,500,300/max", "jpeg-tiles")]
    [InlineData(TestImages.PyramidAdobe, "512,0,256,256/256,256", "jpeg-tiles")]
    [InlineData(TestImages.PyramidAdobe, "100,100,500,300/max", "jpeg-tiles")]
    [InlineData(TestImages.PyramidAdobe, "100,100,500,300/max", "rendered", "png")]
    public async Task An_srgb_profile_keeps_a_pyramid_on_the_fast_paths_and_another_is_converted_on_the_jpeg_tile_path(string identifier, string regionAndSize, string origin, string format = "jpg")
    {
        // Adobe RGB under the default --colour convert: decoded, transformed to sRGB, encoded; never sent as stored.
        using var response = await server.Client.GetAsync($"/iiif/3/{identifier}/{regionAndSize}/0/default.{format}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(origin, Origin(response));
    }

    [Fact]
    public async Task A_cropped_edge_tile_is_cached_and_an_interior_tile_is_always_read_from_the_file()
    {
        var edge = $"/iiif/3/{TestImages.PyramidForEdgeCache}/1024,512,176,288/88,144/0/default.jpg";
        var interior = $"/iiif/3/{TestImages.PyramidForEdgeCache}/512,0,512,512/256,256/0/default.jpg";
        using var edgeFirst = await server.Client.GetAsync(edge);
        using var edgeSecond = await server.Client.GetAsync(edge);
        using var interiorFirst = await server.Client.GetAsync(interior);
        using var interiorSecond = await server.Client.GetAsync(interior);

        Assert.Equal(("stored-tile", "cache"), (Origin(edgeFirst), Origin(edgeSecond)));
        Assert.Equal(await edgeFirst.Content.ReadAsByteArrayAsync(), await edgeSecond.Content.ReadAsByteArrayAsync());
        Assert.Equal(("stored-tile", "stored-tile"), (Origin(interiorFirst), Origin(interiorSecond)));
    }

    [Theory]
    [InlineData("/iiif/3/pyramid.tif/0,0,256,256/128,128/0/default.jpg")]
    [InlineData("/iiif/3/pyramid.tif/0,0,256,256/256,256/90/default.jpg")]
    [InlineData("/iiif/3/pyramid.tif/0,0,256,256/256,256/0/gray.jpg")]
    [InlineData("/iiif/3/pyramid.tif/10,0,256,256/256,256/0/default.jpg")]
    [InlineData("/iiif/3/photo.jpg/0,0,256,256/256,256/0/default.jpg")]
    public async Task Anything_but_exactly_one_stored_tile_is_rendered(string path)
    {
        using var response = await server.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual("stored-tile", Origin(response));
    }

    [Theory]
    [InlineData("/iiif/3/pyramid.tif/0,256,256,256/256,256/0/default.jpg", "StoredTile because Tile")]
    [InlineData("/iiif/3/pyramid.tif/7,11,301,203/150,/0/default.jpg", "JpegTiles because NotOneTile")]
    [InlineData("/iiif/3/pyramid.tif/7,11,301,203/150,/180/default.jpg", "Libvips because Rotation")]
    [InlineData("/iiif/3/pyramid.tif/7,11,301,203/150,/0/default.png", "Libvips because NotJpgOut")]
    [InlineData("/iiif/3/photo.jpg/7,11,301,203/150,/0/default.jpg", "Libvips because NotTiff")]
    [InlineData("/iiif/3/photo.jp2/7,11,301,203/150,/0/default.jpg", "Jpeg2000 because Jpeg2000Window")]
    public async Task The_render_path_and_why_are_logged_at_debug(string path, string expected)
    {
        using var response = await server.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var logged = server.Logs.Entries.Where(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Debug && e.Message.StartsWith(path + ":", StringComparison.Ordinal)).ToList();
        Assert.Contains(logged, e => e.Message.EndsWith($"render path {expected}", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/iiif/3/pyramid.tif/3,5,251,249/125,/0/default.jpg", "jpeg-tiles")]
    [InlineData("/iiif/3/pyramid.tif/17,9,256,256/256,256/0/color.jpg", "jpeg-tiles")]
    [InlineData("/iiif/3/pyramid.tif/3,5,251,249/125,/90/default.jpg", "rendered")]
    [InlineData("/iiif/3/pyramid.tif/3,5,251,249/125,/0/gray.jpg", "rendered")]
    [InlineData("/iiif/3/pyramid.tif/3,5,251,249/125,/0/default.png", "rendered")]
    public async Task Other_JPEG_plans_of_a_JPEG_pyramid_are_decoded_and_encoded_without_libvips(string path, string origin)
    {
        // Regions no other test asks for, so the derivative cache (shared by the fixture's server) cannot answer first.
        using var response = await server.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(origin, Origin(response));
    }

    [Theory]
    [InlineData("/iiif/3/photo.jp2/13,21,307,211/153,/0/default.jpg")]
    [InlineData("/iiif/3/photo.jp2/full/!97,97/0/default.jpg")]
    [InlineData("/iiif/3/photo.jp2/29,3,250,250/250,/90/gray.png")]
    public async Task A_JPEG_2000_window_is_decoded_by_OpenJPEG_directly(string path)
    {
        // Regions no other test asks for, so the derivative cache cannot answer first.
        using var response = await server.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("openjpeg", Origin(response));
    }

    [Fact]
    public async Task A_second_request_for_the_same_image_in_another_syntax_comes_from_the_cache()
    {
        using var first = await server.Client.GetAsync("/iiif/3/grid.png/pct:10,10,50,50/!217,217/0/default.webp");
        using var second = await server.Client.GetAsync("/iiif/2/grid.png/100,100,500,500/217,/0/default.webp");

        Assert.Equal("rendered", Origin(first));
        Assert.Equal("cache", Origin(second));
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await second.Content.ReadAsByteArrayAsync());
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
    }

    [Fact]
    public async Task A_conditional_request_with_the_etag_is_answered_304_without_a_body()
    {
        const string path = "/iiif/3/photo.jpg/full/90,/0/default.jpg";
        using var first = await server.Client.GetAsync(path);
        using var conditional = new HttpRequestMessage(HttpMethod.Get, path);
        conditional.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var second = await server.Client.SendAsync(conditional);
        using var stale = new HttpRequestMessage(HttpMethod.Get, path);
        stale.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"something-else\""));
        using var third = await server.Client.SendAsync(stale);

        Assert.NotNull(first.Headers.ETag);
        Assert.NotNull(first.Content.Headers.LastModified);
        Assert.Equal("public, max-age=86400", first.Headers.CacheControl!.ToString());
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
    }

    [Fact]
    public async Task If_modified_since_the_source_changed_nothing_is_sent_again()
    {
        const string path = "/iiif/3/photo.jpg/info.json";
        using var first = await server.Client.GetAsync(path);
        using var conditional = new HttpRequestMessage(HttpMethod.Get, path);
        conditional.Headers.IfModifiedSince = first.Content.Headers.LastModified;
        using var second = await server.Client.SendAsync(conditional);
        using var older = new HttpRequestMessage(HttpMethod.Get, path);
        older.Headers.IfModifiedSince = first.Content.Headers.LastModified!.Value.AddDays(-1);
        using var third = await server.Client.SendAsync(older);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
    }

    [Fact]
    public async Task A_purge_needs_the_token_and_makes_the_next_request_render_again()
    {
        const string path = "/iiif/3/grey.jpg/full/77,/0/default.png";
        using (await server.Client.GetAsync(path))
        {
        }

        using var denied = await server.Client.DeleteAsync("/admin/cache/grey.jpg");
        using var purge = new HttpRequestMessage(HttpMethod.Delete, "/admin/cache/grey.jpg");
        purge.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ServerFixture.AdminToken);
        using var purged = await server.Client.SendAsync(purge);
        using var again = await server.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
        Assert.Equal(HttpStatusCode.OK, purged.StatusCode);
        Assert.Equal("rendered", Origin(again));
    }
}
