using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Tessera.Server.Tests.Fixtures;

namespace Tessera.Server.Tests.Endpoints;

/// <summary>The HTTP side of the Image API: redirects, media types, CORS, Link headers, info.json contents.</summary>
public sealed class HttpProtocolTests(ServerFixture server)
{
    [Theory]
    [InlineData(3)]
    [InlineData(2)]
    public async Task The_base_uri_redirects_to_info_json_with_303(int version)
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = server.BaseAddress };
        using var response = await client.GetAsync($"/iiif/{version}/photo.jpg");

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal($"{server.BaseAddress}iiif/{version}/photo.jpg/info.json", response.Headers.Location!.ToString());
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Theory]
    [InlineData(3, "http://iiif.io/api/image/3/context.json")]
    [InlineData(2, "http://iiif.io/api/image/2/context.json")]
    public async Task Info_json_is_json_ld_only_when_asked(int version, string context)
    {
        using var plain = await server.Client.GetAsync($"/iiif/{version}/photo.jpg/info.json");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/iiif/{version}/photo.jpg/info.json");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/ld+json"));
        using var ld = await server.Client.SendAsync(request);

        Assert.Equal("application/json", plain.Content.Headers.ContentType!.MediaType);
        Assert.Equal("application/ld+json", ld.Content.Headers.ContentType!.MediaType);
        Assert.Contains(context, ld.Content.Headers.ContentType.ToString(), StringComparison.Ordinal);
        Assert.Equal("*", plain.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains(plain.Headers.GetValues("Link"), l => l.Contains($"image/{version}/level2.json", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Info_json_of_a_pyramid_reports_its_real_tiles_and_levels()
    {
        var info = JsonNode.Parse(await server.Client.GetStringAsync("/iiif/3/pyramid.tif/info.json"))!;

        Assert.Equal($"{server.BaseAddress}iiif/3/pyramid.tif", (string)info["id"]!);
        Assert.Equal("ImageService3", (string)info["type"]!);
        Assert.Equal("level2", (string)info["profile"]!);
        Assert.Equal(1200, (int)info["width"]!);
        Assert.Equal(800, (int)info["height"]!);
        var tiles = info["tiles"]![0]!;
        Assert.Equal(256, (int)tiles["width"]!);
        Assert.Equal([1, 2, 4, 8], tiles["scaleFactors"]!.AsArray().Select(n => (int)n!));
        var sizes = info["sizes"]!.AsArray().Select(s => ((int)s!["width"]!, (int)s["height"]!)).ToList();
        Assert.Contains((150, 100), sizes);
        Assert.Contains((1200, 800), sizes);
        Assert.Equal(5000, (int)info["maxWidth"]!);
        Assert.Equal(10_000_000, (long)info["maxArea"]!);
        Assert.Contains("avif", info["extraFormats"]!.AsArray().Select(n => (string)n!));
    }

    [Fact]
    public async Task Info_json_of_a_jpeg_reports_its_shrink_levels_and_exif_orientation()
    {
        var info = JsonNode.Parse(await server.Client.GetStringAsync("/iiif/2/rotated.jpg/info.json"))!;

        Assert.Equal("http://iiif.io/api/image", (string)info["protocol"]!);
        Assert.Equal($"{server.BaseAddress}iiif/2/rotated.jpg", (string)info["@id"]!);
        Assert.Equal(800, (int)info["width"]!);
        Assert.Equal(1200, (int)info["height"]!);
        Assert.Equal("http://iiif.io/api/image/2/level2.json", (string)info["profile"]![0]!);
        Assert.Contains("mirroring", info["profile"]![1]!["supports"]!.AsArray().Select(n => (string)n!));
    }

    [Fact]
    public async Task An_image_response_links_its_canonical_uri_for_each_version()
    {
        using var v3 = await server.Client.GetAsync("/iiif/3/grid.png/0,0,1000,1000/max/0/color.png");
        using var v2 = await server.Client.GetAsync("/iiif/2/grid.png/0,0,1000,1000/500,/360/default.jpg");

        Assert.Contains(v3.Headers.GetValues("Link").SelectMany(l => l.Split(", ")), l => l == $"<{server.BaseAddress}iiif/3/grid.png/full/max/0/color.png>;rel=\"canonical\"");
        Assert.Contains(v2.Headers.GetValues("Link").SelectMany(l => l.Split(", ")), l => l == $"<{server.BaseAddress}iiif/2/grid.png/full/500,/0/default.jpg>;rel=\"canonical\"");
        Assert.Equal("image/png", v3.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task A_cors_preflight_is_answered()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/iiif/3/photo.jpg/info.json");
        request.Headers.Add("Origin", "https://viewer.example");
        request.Headers.Add("Access-Control-Request-Method", "GET");
        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task The_home_page_lists_the_images()
    {
        var html = await server.Client.GetStringAsync("/");

        Assert.Contains("iiif/3/photo.jpg/info.json", html, StringComparison.Ordinal);
        Assert.Contains("iiif/3/sub%2Fdir%2Fnested.jpg/info.json", html, StringComparison.Ordinal);
    }
}
