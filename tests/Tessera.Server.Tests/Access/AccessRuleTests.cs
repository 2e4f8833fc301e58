using System.Net;
using System.Text.Json.Nodes;
using Tessera.Vips;

namespace Tessera.Server.Tests.Access;

/// <summary>Each rule kind on each route, through the real server (<see cref="AccessServerFixture"/>).</summary>
public sealed class AccessRuleTests(AccessServerFixture server)
{
    private const string Tile = "full/!200,200/0/default.jpg";

    public static readonly TheoryData<string> ImageRoutes = new()
    {
        "/iiif/3/{0}/" + Tile,
        "/iiif/2/{0}/" + Tile,
        "/deepzoom/{0}.dzi",
        "/deepzoom/{0}_files/0/0_0.jpg",
        "/zoomify/{0}/ImageProperties.xml",
        "/zoomify/{0}/TileGroup0/0-0-0.jpg",
        "/view/{0}",
    };

    /// <summary>The routes that show pixels or facts: the viewer page of a login image is served (it shows none, and runs the Auth flow).</summary>
    public static readonly TheoryData<string> PixelRoutes = [.. ImageRoutes.Select(row => row.Data).Where(route => !route.StartsWith("/view/", StringComparison.Ordinal))];

    private static string Route(string template, string identifier) =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, template, template.StartsWith("/iiif/", StringComparison.Ordinal) ? Uri.EscapeDataString(identifier) : identifier);

    [Theory]
    [MemberData(nameof(ImageRoutes))]
    public async Task A_public_image_is_served_to_everyone_and_cacheable(string template)
    {
        using var response = await server.GetAsync(Route(template, "open/a.jpg"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("private", response.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(PixelRoutes))]
    public async Task A_login_image_is_401_without_a_user_and_served_privately_with_one(string template)
    {
        using var anonymous = await server.GetAsync(Route(template, "restricted/r.jpg"));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("no-store", anonymous.Headers.CacheControl?.ToString());
        var body = await anonymous.Content.ReadAsByteArrayAsync();
        Assert.False(body.Length > 3 && body[0] == 0xFF && body[1] == 0xD8, "no pixels for the public");

        using var signedIn = await server.GetAsync(Route(template, "restricted/r.jpg"), user: "bob");
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.True(signedIn.Headers.CacheControl is { Private: true, Public: false }, $"Cache-Control: {signedIn.Headers.CacheControl}");
        Assert.Contains("Authorization", string.Join(",", signedIn.Headers.Vary), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(PixelRoutes))]
    public async Task A_login_image_with_roles_is_403_for_a_user_without_one(string template)
    {
        using var without = await server.GetAsync(Route(template, "staff/s.jpg"), user: "bob:reader");
        Assert.Equal(HttpStatusCode.Forbidden, without.StatusCode);
        using var with = await server.GetAsync(Route(template, "staff/s.jpg"), user: "carol:reader,staff");
        Assert.Equal(HttpStatusCode.OK, with.StatusCode);
        using var admin = await server.GetAsync(Route(template, "staff/s.jpg"), user: "root:admin");
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }

    [Fact]
    public async Task The_viewer_page_of_a_login_image_is_served_without_a_user_to_run_the_auth_flow()
    {
        using var response = await server.GetAsync(Route("/view/{0}", "staff/s.jpg"), user: null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("id=\"auth\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ImageRoutes))]
    [InlineData("/iiif/3/{0}/info.json")]
    [InlineData("/iiif/2/{0}/info.json")]
    [InlineData("/auth/v2/probe/{0}")]
    public async Task A_hidden_image_is_404_for_everyone_but_administrators(string template)
    {
        foreach (var user in new string?[] { null, "bob", "carol:staff" })
        {
            using var response = await server.GetAsync(Route(template.Replace("/auth/v2/probe/{0}", "/auth/v2/probe/secret/h.jpg", StringComparison.Ordinal), "secret/h.jpg"), user: user);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        using var admin = await server.GetAsync(Route(template.Replace("/auth/v2/probe/{0}", "/auth/v2/probe/secret/h.jpg", StringComparison.Ordinal), "secret/h.jpg"), user: "root:admin");
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }

    [Fact]
    public async Task A_hidden_object_has_no_manifest_and_no_Mirador_page()
    {
        using var manifest = await server.GetAsync("/iiif/presentation/secret/manifest.json");
        Assert.Equal(HttpStatusCode.NotFound, manifest.StatusCode);
        using var mirador = await server.GetAsync("/mirador/secret");
        Assert.Equal(HttpStatusCode.NotFound, mirador.StatusCode);
        using var admin = await server.GetAsync("/iiif/presentation/secret/manifest.json", user: "root:admin");
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }

    [Fact]
    public async Task The_home_page_and_the_collection_list_only_what_the_user_may_open()
    {
        var home = await (await server.GetAsync("/")).Content.ReadAsStringAsync();
        var collection = await (await server.GetAsync("/iiif/presentation/collection.json")).Content.ReadAsStringAsync();
        Assert.Contains("open/a.jpg", home, StringComparison.Ordinal);
        foreach (var listing in new[] { home, collection })
        {
            Assert.Contains("open", listing, StringComparison.Ordinal);
            Assert.Contains("museum", listing, StringComparison.Ordinal);
            Assert.DoesNotContain("secret", listing, StringComparison.Ordinal);
            Assert.DoesNotContain("restricted", listing, StringComparison.Ordinal);
            Assert.DoesNotContain("hid.jpg", listing, StringComparison.Ordinal);
        }

        var bobsHome = await (await server.GetAsync("/", user: "bob")).Content.ReadAsStringAsync();
        Assert.Contains("restricted/r.jpg", bobsHome, StringComparison.Ordinal);
        Assert.DoesNotContain("staff/s.jpg", bobsHome, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", bobsHome, StringComparison.Ordinal);
        var adminsHome = await (await server.GetAsync("/", user: "root:admin")).Content.ReadAsStringAsync();
        Assert.Contains("secret/h.jpg", adminsHome, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_manifest_leaves_out_hidden_canvases_and_gives_protected_images_their_auth_services()
    {
        var mixed = JsonNode.Parse(await (await server.GetAsync("/iiif/presentation/mixed/manifest.json")).Content.ReadAsStringAsync())!;
        Assert.Single(mixed["items"]!.AsArray());
        Assert.DoesNotContain("hid.jpg", mixed.ToJsonString(), StringComparison.Ordinal);
        var adminMixed = JsonNode.Parse(await (await server.GetAsync("/iiif/presentation/mixed/manifest.json", user: "root:admin")).Content.ReadAsStringAsync())!;
        Assert.Equal(2, adminMixed["items"]!.AsArray().Count);

        var museum = await (await server.GetAsync("/iiif/presentation/museum/manifest.json")).Content.ReadAsStringAsync();
        Assert.Contains("AuthProbeService2", museum, StringComparison.Ordinal);
        Assert.Contains("/auth/v2/probe/museum/m.jpg", museum, StringComparison.Ordinal);
        var open = await (await server.GetAsync("/iiif/presentation/open/manifest.json")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("AuthProbeService2", open, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("3")]
    [InlineData("2")]
    public async Task A_login_images_info_json_answers_401_with_the_whole_service_chain(string version)
    {
        using var response = await server.GetAsync($"/iiif/{version}/{Uri.EscapeDataString("restricted/r.jpg")}/info.json");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var info = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var services = info["service"]!.AsArray();
        var probe = services.Single(s => s!["type"]?.GetValue<string>() == "AuthProbeService2")!;
        Assert.Equal($"{server.Origin}/auth/v2/probe/restricted/r.jpg", probe["id"]!.GetValue<string>());
        var access = probe["service"]!.AsArray().Single()!;
        Assert.Equal("AuthAccessService2", access["type"]!.GetValue<string>());
        Assert.Equal("active", access["profile"]!.GetValue<string>());
        Assert.Equal($"{server.Origin}/auth/v2/access", access["id"]!.GetValue<string>());
        Assert.NotNull(access["label"]!["en"]);
        var types = access["service"]!.AsArray().Select(s => s!["type"]!.GetValue<string>()).ToList();
        Assert.Equal(["AuthAccessTokenService2", "AuthLogoutService2"], types);
        var login = services.Single(s => s!["profile"]?.GetValue<string>() == "http://iiif.io/api/auth/1/login")!;
        Assert.Equal(["http://iiif.io/api/auth/1/token", "http://iiif.io/api/auth/1/logout"], login["service"]!.AsArray().Select(s => s!["profile"]!.GetValue<string>()).ToList());

        using var publicInfo = await server.GetAsync($"/iiif/{version}/{Uri.EscapeDataString("open/a.jpg")}/info.json");
        Assert.Null(JsonNode.Parse(await publicInfo.Content.ReadAsStringAsync())!["service"]);
    }

    [Theory]
    [InlineData("3")]
    [InlineData("2")]
    public async Task The_publics_degraded_info_json_keeps_sizes_and_tiles_within_its_limits_and_each_is_served(string version)
    {
        var id = Uri.EscapeDataString("museum/m.jpg");
        using var response = await server.GetAsync($"/iiif/{version}/{id}/info.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl is { Private: true, Public: false }, $"Cache-Control: {response.Headers.CacheControl}");
        var info = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var limits = version == "3" ? info : info["profile"]![1]!;
        var (maxWidth, maxHeight) = (limits["maxWidth"]!.GetValue<int>(), limits["maxHeight"]!.GetValue<int>());
        Assert.Equal((120, 80), (maxWidth, maxHeight));
        Assert.Equal((1200, 800), (info["width"]!.GetValue<int>(), info["height"]!.GetValue<int>()));
        Assert.Contains(info["service"]!.AsArray(), s => s!["type"]?.GetValue<string>() == "AuthProbeService2");

        foreach (var size in info["sizes"]!.AsArray())
        {
            var (w, h) = (size!["width"]!.GetValue<int>(), size["height"]!.GetValue<int>());
            Assert.True(w <= maxWidth && h <= maxHeight, $"size {w}×{h} beyond {maxWidth}×{maxHeight}");
            using var image = await server.GetAsync($"/iiif/{version}/{id}/full/{w},{h}/0/default.jpg");
            Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        }

        var tile = info["tiles"]![0]!;
        var tileWidth = tile["width"]!.GetValue<int>();
        var factors = tile["scaleFactors"]!.AsArray().Select(f => f!.GetValue<int>()).ToList();
        Assert.NotEmpty(factors);
        foreach (var factor in factors)
        {
            var side = tileWidth * factor;
            var (w, h) = (Math.Min(side, 1200), Math.Min(side, 800));
            using var image = await server.GetAsync($"/iiif/{version}/{id}/0,0,{w},{h}/{(w + factor - 1) / factor},/0/default.jpg");
            Assert.True(image.StatusCode == HttpStatusCode.OK, $"tile at scale factor {factor}: {(int)image.StatusCode} {await image.Content.ReadAsStringAsync()}");
        }

        // The authorised user's info.json is the full one.
        var full = JsonNode.Parse(await (await server.GetAsync($"/iiif/{version}/{id}/info.json", user: "bob")).Content.ReadAsStringAsync())!;
        Assert.True((version == "3" ? full : full["profile"]![1]!)["maxWidth"]!.GetValue<int>() >= 1200);
    }

    [Fact]
    public async Task The_public_never_gets_more_than_maxSize_and_a_full_resolution_tile_is_403()
    {
        var id = Uri.EscapeDataString("plain/p.jpg");
        using var max = await server.GetAsync($"/iiif/3/{id}/full/max/0/default.jpg");
        using (var image = VipsImage.NewFromBuffer(await max.Content.ReadAsByteArrayAsync()))
        {
            Assert.Equal((300, 200), (image.Width, image.Height));
        }

        // Within the reduced size (300×200) but at full resolution: more detail than the public may see.
        using var zoomed = await server.GetAsync($"/iiif/3/{id}/0,0,150,150/150,/0/default.jpg");
        Assert.Equal(HttpStatusCode.Forbidden, zoomed.StatusCode);
        using var tooWide = await server.GetAsync($"/iiif/3/{id}/0,0,512,512/512,/0/default.jpg");
        Assert.False(tooWide.IsSuccessStatusCode);
        using var big = await server.GetAsync($"/iiif/3/{id}/full/1200,/0/default.jpg");
        Assert.False(big.IsSuccessStatusCode);
        using var legacy = await server.GetAsync("/deepzoom/plain/p.jpg_files/11/0_0.jpg");
        Assert.Equal(HttpStatusCode.Forbidden, legacy.StatusCode);

        using var authorised = await server.GetAsync($"/iiif/3/{id}/0,0,512,512/512,/0/default.jpg", user: "bob");
        Assert.Equal(HttpStatusCode.OK, authorised.StatusCode);
        using var authorisedMax = await server.GetAsync($"/iiif/3/{id}/full/max/0/default.jpg", user: "bob");
        using var full = VipsImage.NewFromBuffer(await authorisedMax.Content.ReadAsByteArrayAsync());
        Assert.Equal((1200, 800), (full.Width, full.Height));
    }

    [Fact]
    public async Task The_watermark_is_on_the_publics_image_and_not_on_the_authorised_users()
    {
        var path = $"/iiif/3/{Uri.EscapeDataString("museum/m.jpg")}/full/120,/0/default.jpg";
        // The authorised user first, so a cached unmarked render exists when the public asks for the same plan.
        using var authorisedResponse = await server.GetAsync(path, user: "bob");
        using var publicResponse = await server.GetAsync(path);
        using var publicAgain = await server.GetAsync(path);
        Assert.NotEqual(authorisedResponse.Headers.ETag, publicResponse.Headers.ETag);

        using var authorised = VipsImage.NewFromBuffer(await authorisedResponse.Content.ReadAsByteArrayAsync());
        using var marked = VipsImage.NewFromBuffer(await publicResponse.Content.ReadAsByteArrayAsync());
        using var markedAgain = VipsImage.NewFromBuffer(await publicAgain.Content.ReadAsByteArrayAsync());
        Assert.Equal((120, 80), (marked.Width, marked.Height));
        Assert.Equal(0, FarFromGrey(authorised));
        var markPixels = FarFromGrey(marked);
        Assert.True(markPixels > 100, $"Expected the watermark's light and dark pixels on the public's image but found {markPixels}");
        Assert.Equal(markPixels, FarFromGrey(markedAgain));
    }

    [Fact]
    public async Task An_image_watermark_is_drawn_with_its_alpha_on_the_publics_image_only()
    {
        var path = $"/iiif/3/{Uri.EscapeDataString("stamped/st.jpg")}/full/120,/0/default.png";
        using var publicResponse = await server.GetAsync(path);
        using var authorisedResponse = await server.GetAsync(path, user: "bob");
        using var marked = VipsImage.NewFromBuffer(await publicResponse.Content.ReadAsByteArrayAsync());
        using var authorised = VipsImage.NewFromBuffer(await authorisedResponse.Content.ReadAsByteArrayAsync());
        Assert.Equal((120, 80), (marked.Width, marked.Height));

        // The mark is 60 px wide (half the output) at the top left, after a margin of 2 px: its opaque left half red,
        // its transparent right half leaving the grey.
        Assert.Equal((255.0, 0.0, 0.0), Rgb(marked.GetPoint(10, 10)), new RgbTolerance(12));
        Assert.Equal((128.0, 128.0, 128.0), Rgb(marked.GetPoint(50, 10)), new RgbTolerance(12));
        Assert.Equal((128.0, 128.0, 128.0), Rgb(authorised.GetPoint(10, 10)), new RgbTolerance(12));
    }

    private static (double R, double G, double B) Rgb(double[] point) => (point[0], point[1], point[2]);

    private sealed class RgbTolerance(double tolerance) : IEqualityComparer<(double R, double G, double B)>
    {
        public bool Equals((double R, double G, double B) x, (double R, double G, double B) y) =>
            Math.Abs(x.R - y.R) <= tolerance && Math.Abs(x.G - y.G) <= tolerance && Math.Abs(x.B - y.B) <= tolerance;

        public int GetHashCode((double R, double G, double B) obj) => 0;
    }

    /// <summary>Pixels more than 40 levels from the grey (128) of the test images: the watermark's text and shadow.</summary>
    private static int FarFromGrey(VipsImage image)
    {
        var pixels = image.ToPixels();
        var count = 0;
        for (var i = 0; i < pixels.Length; i += image.Bands)
        {
            if (Math.Abs(pixels[i] - 128) > 40)
            {
                count++;
            }
        }

        return count;
    }
}
