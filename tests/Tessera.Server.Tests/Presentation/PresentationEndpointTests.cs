using System.Net;
using System.Text.Json.Nodes;
using Tessera.Server.Presentation;
using Tessera.Server.Tests.Viewer;
using Tessera.Testing.Presentation;

namespace Tessera.Server.Tests.Presentation;

public sealed class PresentationEndpointTests(ViewerServerFixture server)
{
    private async Task<JsonObject> GetJsonAsync(string path)
    {
        using var response = await server.Client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    private static string Label(JsonNode node) => node["label"]!["none"]![0]!.GetValue<string>();

    [Fact]
    public async Task The_collection_lists_every_object_in_natural_order()
    {
        var collection = await GetJsonAsync("/iiif/presentation/collection.json");

        Assert.Equal("Collection", collection["type"]!.GetValue<string>());
        Assert.Equal($"{server.BaseAddress}iiif/presentation/collection.json", collection["id"]!.GetValue<string>());
        var ids = collection["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()[$"{server.BaseAddress}iiif/presentation/".Length..]).ToList();
        Assert.Equal(["book/manifest.json", "broken.jpg/manifest.json", "harbour.jpg/manifest.json", "letters/1850/manifest.json", "map.tif/manifest.json"], ids);
        Assert.All(collection["items"]!.AsArray(), i => Assert.Equal("Manifest", i!["type"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_folder_is_one_manifest_with_canvases_in_natural_order_sized_from_the_images()
    {
        var manifest = await GetJsonAsync("/iiif/presentation/book/manifest.json");

        Assert.Equal("book", Label(manifest));
        var canvases = manifest["items"]!.AsArray();
        Assert.Equal(["page-1", "page-2", "page-10"], canvases.Select(c => Label(c!)));
        for (var i = 0; i < canvases.Count; i++)
        {
            var canvas = canvases[i]!;
            var info = await GetJsonAsync($"/iiif/3/{Uri.EscapeDataString(ViewerServerFixture.Pages[i])}/info.json");
            Assert.Equal(info["width"]!.GetValue<int>(), canvas["width"]!.GetValue<int>());
            Assert.Equal(info["height"]!.GetValue<int>(), canvas["height"]!.GetValue<int>());

            var annotation = canvas["items"]![0]!["items"]![0]!;
            Assert.Equal("painting", annotation["motivation"]!.GetValue<string>());
            Assert.Equal(canvas["id"]!.GetValue<string>(), annotation["target"]!.GetValue<string>());
            var body = annotation["body"]!;
            Assert.Equal("image/jpeg", body["format"]!.GetValue<string>());
            Assert.Equal(canvas["width"]!.GetValue<int>(), body["width"]!.GetValue<int>());
            var service = body["service"]![0]!;
            Assert.Equal("ImageService3", service["type"]!.GetValue<string>());
            Assert.Equal(info["id"]!.GetValue<string>(), service["id"]!.GetValue<string>());
            Assert.Equal("ImageService2", body["service"]![1]!["@type"]!.GetValue<string>());
            Assert.NotNull(canvas["thumbnail"]![0]!["id"]);
        }
    }

    [Fact]
    public async Task The_image_and_thumbnail_urls_of_a_manifest_answer_with_jpegs()
    {
        var manifest = await GetJsonAsync("/iiif/presentation/letters/1850/manifest.json");
        var canvas = manifest["items"]![0]!;
        foreach (var url in new[] { canvas["items"]![0]!["items"]![0]!["body"]!["id"]!.GetValue<string>(), canvas["thumbnail"]![0]!["id"]!.GetValue<string>(), manifest["thumbnail"]![0]!["id"]!.GetValue<string>() })
        {
            using var response = await server.Client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("image/jpeg", response.Content.Headers.ContentType!.MediaType);
        }
    }

    [Fact]
    public async Task A_lone_image_is_a_one_canvas_manifest()
    {
        var manifest = await GetJsonAsync("/iiif/presentation/harbour.jpg/manifest.json");

        Assert.Equal("harbour", Label(manifest));
        Assert.Single(manifest["items"]!.AsArray());
        Assert.Equal(3000, manifest["items"]![0]!["width"]!.GetValue<int>());
    }

    [Fact]
    public async Task Every_document_the_server_builds_validates_against_the_presentation_3_schema()
    {
        var documents = new List<(string, string)> { ("collection.json", await server.Client.GetStringAsync("/iiif/presentation/collection.json")) };
        var collection = await GetJsonAsync("/iiif/presentation/collection.json");
        foreach (var item in collection["items"]!.AsArray())
        {
            using var response = await server.Client.GetAsync(item!["id"]!.GetValue<string>());
            if (response.StatusCode == HttpStatusCode.OK)
            {
                documents.Add((item["id"]!.GetValue<string>(), await response.Content.ReadAsStringAsync()));
            }
        }

        Assert.Equal(5, documents.Count); // the collection and four manifests: broken.jpg has none
        PresentationValidator.AssertAllValid(await PresentationValidator.ValidateAsync(documents));
    }

    [Fact]
    public async Task The_validator_rejects_documents_that_break_the_schema()
    {
        var manifest = await GetJsonAsync("/iiif/presentation/book/manifest.json");
        var noItems = manifest.DeepClone().AsObject();
        noItems.Remove("items");
        var httpsRights = manifest.DeepClone().AsObject();
        httpsRights["rights"] = "https://creativecommons.org/licenses/by/4.0/";
        var badCanvas = manifest.DeepClone().AsObject();
        badCanvas["items"]![0]!.AsObject().Remove("height");
        var relativeId = manifest.DeepClone().AsObject();
        relativeId["id"] = "book/manifest.json";

        var results = await PresentationValidator.ValidateAsync(
            [("valid", manifest.ToJsonString()), ("no items", noItems.ToJsonString()), ("https rights", httpsRights.ToJsonString()), ("canvas without height", badCanvas.ToJsonString()), ("relative id", relativeId.ToJsonString())]);

        Assert.Empty(results[0].Errors);
        Assert.All(results.Skip(1), r => Assert.True(r.Errors.Count > 0, $"{r.Name} should be invalid"));
    }

    [Fact]
    public async Task Json_ld_is_sent_when_the_accept_header_asks_and_plain_json_otherwise()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/iiif/presentation/book/manifest.json");
        request.Headers.Add("Accept", "application/ld+json");
        using var ld = await server.Client.SendAsync(request);
        using var plain = await server.Client.GetAsync("/iiif/presentation/book/manifest.json");

        Assert.Equal(PresentationEndpoints.JsonLdMediaType.Replace(";", "; ", StringComparison.Ordinal), ld.Content.Headers.ContentType!.ToString());
        Assert.Equal("application/json", plain.Content.Headers.ContentType!.MediaType);
        Assert.Equal("*", plain.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("Accept", plain.Headers.Vary);
    }

    [Fact]
    public async Task Preflight_requests_are_answered_for_cross_origin_viewers()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/iiif/presentation/collection.json");
        request.Headers.Add("Origin", "https://viewer.example");
        request.Headers.Add("Access-Control-Request-Method", "GET");
        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Theory]
    [InlineData("/iiif/presentation/nothing/manifest.json", HttpStatusCode.NotFound)]
    [InlineData("/iiif/presentation/book/page-1.jpg/manifest.json", HttpStatusCode.NotFound)]
    [InlineData("/iiif/presentation/letters/manifest.json", HttpStatusCode.NotFound)]
    [InlineData("/iiif/presentation/book", HttpStatusCode.NotFound)]
    [InlineData("/iiif/presentation/%2E%2E/manifest.json", HttpStatusCode.BadRequest)]
    [InlineData("/iiif/presentation/broken.jpg/manifest.json", HttpStatusCode.InternalServerError)]
    public async Task Unknown_malformed_and_unreadable_objects_are_refused(string path, HttpStatusCode expected)
    {
        using var response = await server.Client.GetAsync(path);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }
}
