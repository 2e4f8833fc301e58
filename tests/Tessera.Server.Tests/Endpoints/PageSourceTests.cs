using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Tessera.Server.Tests.Fixtures;
using Tessera.Testing;
using Tessera.Vips;

namespace Tessera.Server.Tests.Endpoints;

/// <summary>
/// Multi-page sources (PDF, a TIFF of several images, a HEIF of several images, a whole slide), JPEG XL in and out and
/// PDF out, through the real server: each page addressed as <c>{id};{n}</c>, its own info.json, one Canvas per page,
/// and the hostile files of these formats answered with a 4xx or 5xx, never a crash.
/// </summary>
public sealed class PageSourceTests(PagesServerFixture server) : IClassFixture<PagesServerFixture>
{
    private async Task<(HttpStatusCode Status, string Body)> Get(string path)
    {
        using var response = await server.Client.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonObject> Info(string identifier)
    {
        var (status, body) = await Get($"/iiif/3/{identifier}/info.json");
        Assert.True(status == HttpStatusCode.OK, $"{identifier}: {(int)status} {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    private async Task<VipsImage> Image(string path)
    {
        using var response = await server.Client.GetAsync(path);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(bytes)}");
        return VipsImage.NewFromBuffer(bytes);
    }

    [Theory]
    [InlineData("report.pdf", 1, 200, 300)]
    [InlineData("report.pdf;1", 1, 200, 300)]
    [InlineData("report.pdf;2", 2, 400, 250)]
    [InlineData("report.pdf%3B3", 3, 200, 300)]
    [InlineData("scans.tif;2", 2, 300, 200)]
    [InlineData("scans.tif%3B3", 3, 300, 200)]
    [InlineData("burst.heic;2", 2, 256, 192)]
    [InlineData("burst.heic;3", 3, 256, 192)]
    public async Task Each_page_has_its_own_info_json_and_pixels(string identifier, int page, int width, int height)
    {
        var info = await Info(identifier);
        Assert.Equal((width, height), ((int)info["width"]!, (int)info["height"]!));

        // The id keeps the page: a viewer asks for that page's tiles.
        var id = (string)info["id"]!;
        Assert.EndsWith(page == 1 && !identifier.Contains(';', StringComparison.Ordinal) && !identifier.Contains("%3B", StringComparison.Ordinal) ? identifier : identifier.Replace("%3B", ";", StringComparison.Ordinal), Uri.UnescapeDataString(id), StringComparison.Ordinal);

        using var image = await Image($"/iiif/3/{identifier}/full/max/0/default.png");
        Assert.Equal((width, height), (image.Width, image.Height));
        var expected = PageFiles.GreyOf(page);
        Assert.InRange(image.GetPoint(width / 2, height / 2)[0], expected - 6, expected + 6);
    }

    [Fact]
    public async Task A_page_alone_says_nothing_new_in_its_info_json()
    {
        var plain = await Info("report.pdf");
        var first = await Info("report.pdf;1");
        plain.Remove("id");
        first.Remove("id");
        Assert.Equal(plain.ToJsonString(), first.ToJsonString());
    }

    [Theory]
    [InlineData("report.pdf;0", HttpStatusCode.BadRequest)]
    [InlineData("report.pdf;-1", HttpStatusCode.BadRequest)]
    [InlineData("report.pdf;abc", HttpStatusCode.BadRequest)]
    [InlineData("report.pdf;4", HttpStatusCode.NotFound)]
    [InlineData("scans.tif;4", HttpStatusCode.NotFound)]
    [InlineData("burst.heic;4", HttpStatusCode.NotFound)]
    [InlineData("photo.jxl;2", HttpStatusCode.NotFound)]
    [InlineData("missing.pdf;2", HttpStatusCode.NotFound)]
    public async Task A_page_that_is_not_one_is_refused_by_name(string identifier, HttpStatusCode expected)
    {
        var (status, body) = await Get($"/iiif/3/{identifier}/info.json");
        Assert.True(status == expected, $"{identifier}: {(int)status} {body}");
        Assert.Contains("identifier", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pdf_pages_render_tiles_and_regions_from_their_own_levels()
    {
        var info = await Info("thousands.pdf;9999");
        Assert.Equal((100, 100), ((int)info["width"]!, (int)info["height"]!));
        using var region = await Image("/iiif/3/report.pdf;2/100,50,200,100/100,/0/default.jpg");
        Assert.Equal((100, 50), (region.Width, region.Height));
        Assert.InRange(region.GetPoint(50, 25)[0], PageFiles.GreyOf(2) - 6, PageFiles.GreyOf(2) + 6);
    }

    [Fact]
    public async Task A_manifest_has_one_canvas_per_page_in_order_and_stays_bounded()
    {
        var (status, body) = await Get("/iiif/presentation/report.pdf/manifest.json");
        Assert.True(status == HttpStatusCode.OK, $"{(int)status} {body}");
        var canvases = JsonNode.Parse(body)!["items"]!.AsArray();
        Assert.Equal(3, canvases.Count);
        Assert.Equal([(200, 300), (400, 250), (200, 300)], canvases.Select(c => ((int)c!["width"]!, (int)c["height"]!)));
        var services = canvases.Select(c => Uri.UnescapeDataString((string)c!["items"]![0]!["items"]![0]!["body"]!["service"]![0]!["id"]!)).ToList();
        Assert.EndsWith("/report.pdf", services[0], StringComparison.Ordinal);
        Assert.EndsWith("/report.pdf;2", services[1], StringComparison.Ordinal);
        Assert.EndsWith("/report.pdf;3", services[2], StringComparison.Ordinal);

        var timer = Stopwatch.StartNew();
        (status, body) = await Get("/iiif/presentation/thousands.pdf/manifest.json");
        Assert.True(status == HttpStatusCode.OK, $"{(int)status} {body}");
        Assert.Equal(Tessera.Imaging.Presentation.PresentationSource.MaxPagesPerSource, JsonNode.Parse(body)!["items"]!.AsArray().Count);
        TestContext.Current.SendDiagnosticMessage($"manifest of a 10,000-page PDF (first {Tessera.Imaging.Presentation.PresentationSource.MaxPagesPerSource} canvases): {timer.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Jpeg_xl_is_a_source_and_an_output_that_decodes()
    {
        var info = await Info("photo.jxl");
        Assert.Equal(640, (int)info["width"]!);
        Assert.Contains("jxl", info["extraFormats"]!.AsArray().Select(f => (string)f!));
        Assert.Contains("pdf", info["extraFormats"]!.AsArray().Select(f => (string)f!));

        using var response = await server.Client.GetAsync("/iiif/3/photo.jxl/full/320,/0/default.jxl");
        Assert.Equal("image/jxl", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        using var decoded = VipsImage.NewFromBuffer(bytes);
        Assert.StartsWith("jxlload", decoded.GetString("vips-loader"), StringComparison.Ordinal);
        Assert.Equal(320, decoded.Width);

        // The round trip keeps the picture: the JPEG XL out is close to the JPEG out of the same request.
        using var jpeg = await Image("/iiif/3/photo.jxl/full/320,/0/default.jpg");
        using var difference = VipsOperation.Image("subtract", ("left", decoded), ("right", jpeg)).Call("abs");
        Assert.InRange(difference.Average(), 0, 6);
    }

    [Fact]
    public async Task Pdf_out_is_a_pdf_poppler_opens_at_the_size_asked()
    {
        using var response = await server.Client.GetAsync("/iiif/3/photo.jxl/full/300,/0/default.pdf");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(bytes, 0, 5), StringComparison.Ordinal);

        // poppler (libvips' pdfload) reads it back: one page, the image's size at 72 dpi, the picture's colours.
        using var page = VipsImage.NewFromBuffer(bytes, ("dpi", 72.0));
        Assert.StartsWith("pdfload", page.GetString("vips-loader"), StringComparison.Ordinal);
        using var jpeg = await Image("/iiif/3/photo.jxl/full/300,/0/default.jpg");
        Assert.Equal((jpeg.Width, jpeg.Height), (page.Width, page.Height));
        using var rgb = page.ExtractBand(0, 3);
        using var difference = VipsOperation.Image("subtract", ("left", rgb), ("right", jpeg)).Call("abs");
        Assert.InRange(difference.Average(), 0, 4);
    }

    [Fact]
    public async Task A_whole_slide_serves_its_own_levels_and_names_its_facts_in_the_manifest()
    {
        var info = await Info("slide.svs");
        Assert.Equal(2000, (int)info["width"]!);
        var factors = info["tiles"]![0]!["scaleFactors"]!.AsArray().Select(f => (int)f!).ToList();
        Assert.True(factors.Count >= 4, string.Join(",", factors));
        using var tile = await Image("/iiif/3/slide.svs/0,0,1024,1024/256,/0/default.jpg");
        Assert.Equal((256, 256), (tile.Width, tile.Height));
        Assert.Equal(3, tile.Bands);

        var (status, body) = await Get("/iiif/presentation/slide.svs/manifest.json");
        Assert.True(status == HttpStatusCode.OK, $"{(int)status} {body}");
        Assert.Contains("generic-tiff", body, StringComparison.Ordinal);
        Assert.Contains("Scanner vendor", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("aperio.svs;2")]
    [InlineData("aperio.svs;3")]
    public async Task A_slides_associated_images_are_pages_with_their_own_info_json_and_pixels(string identifier)
    {
        var info = await Info(identifier);
        Assert.Equal((120, 80), ((int)info["width"]!, (int)info["height"]!));
        Assert.EndsWith(identifier, Uri.UnescapeDataString((string)info["id"]!), StringComparison.Ordinal);

        // The label and the macro are the sample photograph at 120 px, stored uncompressed: PNG out is those pixels.
        using var image = await Image($"/iiif/3/{identifier}/full/max/0/default.png");
        using var expected = VipsOperation.Image("thumbnail", ("filename", Samples.PathOf(Samples.Sunset)), ("width", 120));
        Assert.Equal((120, 80, 3), (image.Width, image.Height, image.Bands));
        using var difference = VipsOperation.Image("subtract", ("left", image), ("right", expected)).Call("abs");
        Assert.Equal(0, (double)VipsOperation.Run("max", [new("in", difference)], ["out"])[0]!);
    }

    [Fact]
    public async Task A_slides_manifest_has_the_slide_then_its_associated_images_as_canvases_in_order()
    {
        var (status, body) = await Get("/iiif/presentation/aperio.svs/manifest.json");
        Assert.True(status == HttpStatusCode.OK, $"{(int)status} {body}");
        var manifest = JsonNode.Parse(body)!;
        var canvases = manifest["items"]!.AsArray();
        var services = canvases.Select(c => Uri.UnescapeDataString((string)c!["items"]![0]!["items"]![0]!["body"]!["service"]![0]!["id"]!)).ToList();
        Assert.Equal(3, services.Count);
        Assert.EndsWith("/aperio.svs", services[0], StringComparison.Ordinal);
        Assert.EndsWith("/aperio.svs;2", services[1], StringComparison.Ordinal);
        Assert.EndsWith("/aperio.svs;3", services[2], StringComparison.Ordinal);
        Assert.Contains("aperio, label", canvases[1]!["label"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("aperio, macro", canvases[2]!["label"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("label, macro", body, StringComparison.Ordinal);
        Assert.Equal(2000, (int)canvases[0]!["width"]!);
    }

    [Fact]
    public async Task A_damaged_associated_image_is_a_500_for_its_requests_and_the_server_goes_on()
    {
        Assert.Equal(HttpStatusCode.OK, (await Get("/iiif/3/damaged.svs;2/info.json")).Status);
        var (status, body) = await Get("/iiif/3/damaged.svs;2/full/max/0/default.jpg");
        Assert.True(status == HttpStatusCode.InternalServerError, $"{(int)status} {body}");
        Assert.Contains("damaged.svs;2", body, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Root, body, StringComparison.Ordinal);
        using var macro = await Image("/iiif/3/damaged.svs;3/full/max/0/default.jpg");
        Assert.Equal(120, macro.Width);
    }

    [Theory]
    [InlineData("huge-page.pdf", 413)]
    [InlineData("jxl-bomb.jxl", 413)]
    [InlineData("cut.pdf", 500)]
    [InlineData("cut.jxl", 500)]
    [InlineData("cut.heic", 500)]
    [InlineData("cut-late.pdf", 500)]
    [InlineData("cut-late.jxl", 500)]
    [InlineData("cut-late.heic", 500)]
    public async Task Hostile_files_of_the_new_formats_are_refused_never_a_crash(string identifier, int expected)
    {
        foreach (var request in new[] { "info.json", "full/max/0/default.jpg", "0,0,64,64/64,/0/default.jpg" })
        {
            var (status, body) = await Get($"/iiif/3/{identifier}/{request}");
            Assert.True((int)status == expected, $"{identifier}/{request}: {(int)status} {body}");
            Assert.Contains(identifier, body, StringComparison.Ordinal);
            Assert.DoesNotContain(server.Root, body, StringComparison.Ordinal);
        }

        // The server is still there.
        Assert.Equal(HttpStatusCode.OK, (await Get("/iiif/3/report.pdf/info.json")).Status);
    }
}
