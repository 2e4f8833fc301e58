using System.Text;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.Vips;

namespace Tessera.Server.Tests.Access;

/// <summary>
/// Redaction boxes (an access rule's <c>redact</c>) through real servers: pixels inside a box are black on every path
/// that hands out pixels (libvips, the JPEG tile path, stored tiles, Deep Zoom), at full size and reduced, in a region
/// across the box's edge, mirrored and rotated; pixels away from the boxes are those of a server without rules; and a
/// derivative cached before the rules redacted is never served after.
/// </summary>
public sealed class RedactionTests(RedactionFixture servers) : IClassFixture<RedactionFixture>
{
    private const string Origin = "X-Tessera-Origin";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(RedactionFixture.Pyramid, "png")]
    [InlineData(RedactionFixture.Jpeg, "png")]
    public async Task At_full_size_a_box_covers_exactly_its_pixels_in_a_region_across_its_edge(string id, string format)
    {
        // Region x 512..1280, y 256..896: the box (pixels x 602..998, y 401..698) is pixels 90..486, 145..442 of the output.
        var path = $"/iiif/3/{id}/512,256,768,640/max/0/default.{format}";
        using var plain = await GetAsync(servers.Plain, path);
        using var redacted = await GetAsync(servers.Redacted, path);
        foreach (var (x, y) in new[] { (90, 145), (486, 442), (90, 442), (486, 145), (300, 300) })
        {
            Black(redacted.Image, x, y, 0, path);
            NotBlack(plain.Image, x, y, path);
        }

        // The pixels just outside each edge are the source's: a box at full size is not widened.
        foreach (var (x, y) in new[] { (89, 300), (487, 300), (300, 144), (300, 443), (10, 10), (700, 600) })
        {
            Same(plain.Image, redacted.Image, x, y, 0, path);
        }
    }

    [Theory]
    [InlineData(RedactionFixture.Pyramid, "512,256,768,640/max/0/default.jpg", 288, 295, 30, 30)]
    [InlineData(RedactionFixture.Pyramid, "512,256,768,640/600,/0/default.jpg", 225, 229, 20, 20)]
    [InlineData(RedactionFixture.Pyramid, "full/512,/0/default.jpg", 200, 137, 60, 40)]
    [InlineData(RedactionFixture.Pyramid, "full/400,/0/default.jpg", 156, 107, 50, 30)]
    [InlineData(RedactionFixture.Jpeg, "512,256,768,640/max/0/default.jpg", 288, 295, 30, 30)]
    [InlineData(RedactionFixture.Jpeg, "full/512,/0/default.jpg", 200, 137, 60, 40)]
    [InlineData(RedactionFixture.Jpeg, "full/400,/0/default.jpg", 156, 107, 50, 30)]
    public async Task A_box_is_black_in_jpegs_at_every_scale_and_the_image_around_it_is_unchanged(string id, string request, int insideX, int insideY, int outsideX, int outsideY)
    {
        var path = $"/iiif/3/{id}/{request}";
        using var plain = await GetAsync(servers.Plain, path);
        using var redacted = await GetAsync(servers.Redacted, path);
        Black(redacted.Image, insideX, insideY, 12, path);
        NotBlack(plain.Image, insideX, insideY, path);
        Same(plain.Image, redacted.Image, outsideX, outsideY, 4, path);
        if (id == RedactionFixture.Pyramid)
        {
            // The JPEG tile path drew the box: tiles decoded at full size, reduced in bands, or a level held decoded.
            Assert.Equal("jpeg-tiles", redacted.Origin);
        }
    }

    [Theory]
    [InlineData(RedactionFixture.Pyramid)]
    [InlineData(RedactionFixture.Jpeg)]
    public async Task At_a_quarter_size_a_box_covers_the_pixels_it_partly_covers_and_the_percent_box_is_black_too(string id)
    {
        // The box at 1/4 is x 150.5..249.75, y 100.25..174.75: pixels 150 and 249, 100 and 174 are partly in it.
        var path = $"/iiif/3/{id}/full/512,/0/default.png";
        using var plain = await GetAsync(servers.Plain, path);
        using var redacted = await GetAsync(servers.Redacted, path);
        foreach (var (x, y) in new[] { (150, 100), (249, 174), (150, 174), (249, 100), (200, 137) })
        {
            Black(redacted.Image, x, y, 2, path);
        }

        // pct:80,80,10,10 is x 409.6..460.8, y 307.2..345.6 at this size.
        foreach (var (x, y) in new[] { (410, 308), (435, 326), (460, 345) })
        {
            Black(redacted.Image, x, y, 2, path);
            NotBlack(plain.Image, x, y, path);
        }

        foreach (var (x, y) in new[] { (100, 50), (300, 300), (500, 380), (140, 137), (260, 137) })
        {
            Same(plain.Image, redacted.Image, x, y, 1, path);
        }
    }

    [Theory]
    [InlineData(RedactionFixture.Pyramid)]
    [InlineData(RedactionFixture.Jpeg)]
    public async Task Mirrored_and_rotated_output_shows_the_box_where_the_turned_image_has_it(string id)
    {
        // !90 at 512 wide: mirrored (x → 511 − x), then turned clockwise ((x, y) → (383 − y, x)) into 384 × 512.
        var path = $"/iiif/3/{id}/full/512,/!90/default.png";
        using var plain = await GetAsync(servers.Plain, path);
        using var redacted = await GetAsync(servers.Redacted, path);
        Assert.Equal((384, 512), (redacted.Image.Width, redacted.Image.Height));
        static (int X, int Y) Turned(int x, int y) => (383 - y, 511 - x);
        foreach (var (x, y) in new[] { Turned(200, 137), Turned(152, 102), Turned(247, 172) })
        {
            Black(redacted.Image, x, y, 2, path);
            NotBlack(plain.Image, x, y, path);
        }

        foreach (var (x, y) in new[] { Turned(100, 50), Turned(300, 300), Turned(200, 20) })
        {
            Same(plain.Image, redacted.Image, x, y, 1, path);
        }
    }

    [Fact]
    public async Task A_stored_tile_a_box_reaches_is_rendered_with_the_box_and_one_clear_of_every_box_passes_through_as_stored()
    {
        // Tile (2, 1) at full size, 512..768 × 256..512: the box starts at 602, 401.
        var crossing = $"/iiif/3/{RedactionFixture.Pyramid}/512,256,256,256/256,256/0/default.jpg";
        using var plain = await GetAsync(servers.Plain, crossing);
        using var redacted = await GetAsync(servers.Redacted, crossing);
        Assert.Equal("stored-tile", plain.Origin);
        Assert.NotEqual("stored-tile", redacted.Origin);
        Black(redacted.Image, 700 - 512, 500 - 256, 12, crossing);
        NotBlack(plain.Image, 700 - 512, 500 - 256, crossing);
        Same(plain.Image, redacted.Image, 20, 20, 4, crossing);

        // At scale factor 4 the tile 0,0,1024,1024 holds the whole box.
        var reduced = $"/iiif/3/{RedactionFixture.Pyramid}/0,0,1024,1024/256,256/0/default.jpg";
        using var plainReduced = await GetAsync(servers.Plain, reduced);
        using var redactedReduced = await GetAsync(servers.Redacted, reduced);
        Assert.Equal("stored-tile", plainReduced.Origin);
        Assert.NotEqual("stored-tile", redactedReduced.Origin);
        Black(redactedReduced.Image, 200, 137, 12, reduced);
        Same(plainReduced.Image, redactedReduced.Image, 60, 40, 4, reduced);

        // A tile clear of both boxes is the stored bytes on both servers.
        var clear = $"/iiif/3/{RedactionFixture.Pyramid}/0,0,256,256/256,256/0/default.jpg";
        using var plainClear = await servers.Plain.GetAsync(clear, Ct);
        using var redactedClear = await servers.Redacted.GetAsync(clear, Ct);
        Assert.Equal("stored-tile", redactedClear.Headers.GetValues(Origin).Single());
        Assert.Equal(await plainClear.Content.ReadAsByteArrayAsync(Ct), await redactedClear.Content.ReadAsByteArrayAsync(Ct));
    }

    [Theory]
    [InlineData(RedactionFixture.Pyramid)]
    [InlineData(RedactionFixture.Jpeg)]
    public async Task Deep_zoom_tiles_show_the_box_black(string id)
    {
        // Level 11 is full size (tiles of 256, no overlap): (800, 550) is pixel (32, 38) of tile 3_2. Level 9 is 512 wide.
        await BlackOnlyWhenRedacted($"/deepzoom/{id}_files/11/3_2.jpg", 32, 38);
        await BlackOnlyWhenRedacted($"/deepzoom/{id}_files/9/0_0.jpg", 200, 137);
    }

    private async Task BlackOnlyWhenRedacted(string path, int x, int y)
    {
        using var plain = await GetAsync(servers.Plain, path);
        using var redacted = await GetAsync(servers.Redacted, path);
        Black(redacted.Image, x, y, 12, path);
        NotBlack(plain.Image, x, y, path);
    }

    [Fact]
    public async Task A_derivative_cached_before_the_rules_redacted_is_not_served_after()
    {
        // A server without rules fills a disk cache; a restart with the redacting rules over the same cache must render
        // anew, where a restart without them is served from it (the same key: the check that the test can fail).
        var path = $"/iiif/3/{RedactionFixture.Jpeg}/full/300,/0/default.jpg";
        var options = new TesseraServerOptions { Root = servers.Root, Cache = CacheMode.Disk, CacheDirectory = servers.Cache };
        await using (var plain = await Started(options))
        {
            using var first = await GetAsync(plain.Client, path);
            Assert.Equal("rendered", first.Origin);
            var deadline = DateTime.UtcNow.AddSeconds(20);
            string origin;
            do
            {
                // Disk writes go through a queue: wait until the entry is read back.
                using var again = await plain.Client.GetAsync(path, Ct);
                origin = again.Headers.GetValues(Origin).Single();
            }
            while (origin != "cache" && DateTime.UtcNow < deadline && await Delay());
            Assert.Equal("cache", origin);
        }

        await using (var restarted = await Started(options))
        {
            using var cached = await GetAsync(restarted.Client, path);
            Assert.Equal("cache", cached.Origin);
        }

        await using var redacting = await Started(options with { Access = servers.RulesFile });
        using var redacted = await GetAsync(redacting.Client, path);
        Assert.Equal("rendered", redacted.Origin);
        Black(redacted.Image, 117, 80, 12, path);
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(50, Ct);
        return true;
    }

    private static async Task<Server> Started(TesseraServerOptions options)
    {
        var (app, client) = await RedactionFixture.StartAsync(options);
        return new Server(app, client);
    }

    private sealed record Server(Microsoft.AspNetCore.Builder.WebApplication App, HttpClient Client) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await App.DisposeAsync();
        }
    }

    [Fact]
    public void The_rules_file_takes_boxes_in_pixels_and_percent_and_refuses_anything_else_with_its_line()
    {
        var (rules, problem) = AccessRules.Parse(Encoding.UTF8.GetBytes("""
            {"rules": [
              {"match": "letters/*", "access": "public", "redact": [[10, 20, 30, 40], "5,6,7,8", "pct:1.5,2,3,4"]},
              {"match": "other/*", "access": "login"}
            ]}
            """));
        Assert.True(problem is null, problem);
        Assert.True(rules!.HasRedactions);
        Assert.Equal(["10,20,30,40", "5,6,7,8", "pct:1.5,2,3,4"], rules.RedactionsOf("letters/a.jpg").Select(b => b.ToString()));
        Assert.Empty(rules.RedactionsOf("other/a.jpg"));
        // pct:1.5,2,3,4 of 100 × 100 is x 1.5..4.5, y 2..6: every pixel it touches.
        Assert.Equal(new Core.Planning.PixelRect(1, 2, 4, 4), rules.RedactionsOf("letters/a.jpg")[2].Resolve(100, 100));

        var (_, none) = AccessRules.Parse(Encoding.UTF8.GetBytes("""{"rules": [{"match": "a/*", "access": "login"}]}"""));
        Assert.Null(none);
        Assert.False(AccessRules.Parse(Encoding.UTF8.GetBytes("""{"rules": [{"match": "a/*", "access": "login"}]}""")).Rules!.HasRedactions);

        foreach (var bad in new[] { "[[1, 2, 3]]", "[[1, 2, 0, 4]]", "[[-1, 2, 3, 4]]", "[\"full\"]", "[\"pct:1,2\"]", "{\"x\": 1}", "[[1, 2, \"3\", 4]]" })
        {
            var (refused, reason) = AccessRules.Parse(Encoding.UTF8.GetBytes("{\"rules\": [\n  {\"match\": \"a/*\", \"access\": \"public\"},\n  {\"match\": \"b/*\", \"access\": \"public\", \"redact\": " + bad + "}\n]}"));
            Assert.Null(refused);
            Assert.StartsWith("line 3: rule 2: Expected redact to be an array of boxes", reason, StringComparison.Ordinal);
        }
    }

    private static async Task<Fetched> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, Ct);
        var body = await response.Content.ReadAsByteArrayAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"{client.BaseAddress}{path}: {(int)response.StatusCode} {Encoding.UTF8.GetString(body)}");
        return new Fetched(VipsImage.NewFromBuffer(body), response.Headers.TryGetValues(Origin, out var origin) ? origin.Single() : "");
    }

    private static void Black(VipsImage image, int x, int y, double tolerance, string what)
    {
        var pixel = image.GetPoint(x, y);
        Assert.True(pixel.Take(3).All(v => v <= tolerance), $"{what}: pixel ({x}, {y}) is {string.Join(", ", pixel)}; expected black (each at most {tolerance})");
    }

    private static void NotBlack(VipsImage image, int x, int y, string what)
    {
        var pixel = image.GetPoint(x, y);
        Assert.True(pixel.Take(3).Max() > 100, $"{what}: pixel ({x}, {y}) of the unredacted image is {string.Join(", ", pixel)}; the test image is bright everywhere");
    }

    private static void Same(VipsImage expected, VipsImage actual, int x, int y, double tolerance, string what)
    {
        var (e, a) = (expected.GetPoint(x, y), actual.GetPoint(x, y));
        Assert.True(e.Zip(a).All(p => Math.Abs(p.First - p.Second) <= tolerance), $"{what}: pixel ({x}, {y}) is {string.Join(", ", a)} redacted, {string.Join(", ", e)} without rules; expected the same (within {tolerance})");
    }

    private sealed record Fetched(VipsImage Image, string Origin) : IDisposable
    {
        public void Dispose() => Image.Dispose();
    }
}
