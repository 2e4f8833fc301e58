using System.Net;

namespace Tessera.Server.Tests.Viewer;

public sealed class ViewerPageTests(ViewerServerFixture server)
{
    [Fact]
    public async Task The_home_page_lists_objects_and_images_with_thumbnails_and_a_search_box()
    {
        var html = await server.Client.GetStringAsync("/");

        Assert.Contains("id=\"search\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"mirador/book\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"mirador/letters/1850\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"view/book%2Fpage-10.jpg\"", html, StringComparison.Ordinal);
        Assert.Contains("src=\"iiif/3/harbour.jpg/full/!200,200/0/default.jpg\"", html, StringComparison.Ordinal);
        Assert.True(html.IndexOf("book/page-2.jpg", StringComparison.Ordinal) < html.IndexOf("book/page-10.jpg", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/view/harbour.jpg", "iiif/3/harbour.jpg/info.json")]
    [InlineData("/view/letters%2F1850%2Fletter.jpg", "iiif/3/letters%2F1850%2Fletter.jpg/info.json")]
    [InlineData("/view/letters/1850/letter.jpg", "iiif/3/letters%2F1850%2Fletter.jpg/info.json")]
    [InlineData("/mirador/book", "iiif/presentation/book/manifest.json")]
    [InlineData("/mirador/harbour.jpg", "iiif/presentation/harbour.jpg/manifest.json")]
    public async Task Viewer_pages_point_at_their_iiif_documents(string path, string document)
    {
        var html = await server.Client.GetStringAsync(path);

        Assert.Contains(document, html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/view/missing.jpg", HttpStatusCode.NotFound)]
    [InlineData("/view/%2E%2E%2Fetc%2Fpasswd", HttpStatusCode.BadRequest)]
    [InlineData("/mirador/missing", HttpStatusCode.NotFound)]
    [InlineData("/viewer/missing.js", HttpStatusCode.NotFound)]
    public async Task Unknown_images_objects_and_assets_are_404(string path, HttpStatusCode expected)
    {
        using var response = await server.Client.GetAsync(path);

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData("/viewer/openseadragon/openseadragon.min.js", "text/javascript")]
    [InlineData("/viewer/openseadragon/images/zoomin_rest.png", "image/png")]
    [InlineData("/viewer/mirador/mirador.min.js", "text/javascript")]
    [InlineData("/viewer/tessera.css", "text/css")]
    [InlineData("/viewer/home.js", "text/javascript")]
    public async Task The_viewer_assets_are_served_by_tessera_itself(string path, string mediaType)
    {
        using var response = await server.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType!.MediaType);
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 100);
        Assert.NotNull(response.Headers.ETag);
    }
}
