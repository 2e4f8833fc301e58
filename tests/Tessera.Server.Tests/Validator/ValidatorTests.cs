using System.Text.Json;
using Tessera.Server.Tests.Fixtures;
using Tessera.Vips;

namespace Tessera.Server.Tests.Validator;

/// <summary>
/// The IIIF Image API validator (github.com/IIIF/image-validator), ported test by test, for 2.x (the validator's "2.0") and
/// 3.0. Each test is named after the validator's module and asserts what the newer (pyvips) validator asserts and what the
/// older (PIL) one asserted where it differs. Where the validator picks a few random cases (seed 31337), these tests cover
/// the whole range it draws from, or a spread of it.
/// </summary>
public sealed class ValidatorTests(ServerFixture server)
{
    public static readonly TheoryData<string> Versions = ["2.0", "3.0"];

    private ValidatorHttp For(string version) => new(server, version);

    private static void AssertMatches(VipsImage given, VipsImage expected, string what)
    {
        Assert.Equal((expected.Width, expected.Height), (given.Width, given.Height));
        var difference = ValidatorHttp.MeanDifference(given, expected);
        Assert.True(difference < 6, $"{what}: mean difference {difference:F2} (validator allows < 6)");
    }

    // ---- Info/Identifier ----

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task info_json(string version)
    {
        var v = For(version);
        var response = await v.SendAsync(v.InfoPath);
        Assert.Equal(200, response.Status);
        Assert.Contains(response.Last("Content-Type")!.Split(';')[0], new[] { "application/json", "application/ld+json" });
        using var document = JsonDocument.Parse(response.Body);
        var info = document.RootElement;

        Assert.Equal(JsonValueKind.Number, info.GetProperty("width").ValueKind);
        Assert.True(info.GetProperty("width").TryGetInt32(out var width) && width == 1000);
        Assert.True(info.GetProperty("height").TryGetInt32(out var height) && height == 1000);
        var id = info.GetProperty(v.IsV2 ? "@id" : "id").GetString()!;
        Assert.StartsWith("http", id, StringComparison.Ordinal);
        Assert.Equal($"{v.BaseUrl}/{ValidatorImages.Identifier}", id);
        Assert.Equal(JsonValueKind.String, info.GetProperty("@context").ValueKind);
        Assert.Equal($"http://iiif.io/api/image/{(v.IsV2 ? 2 : 3)}/context.json", info.GetProperty("@context").GetString());
        Assert.Equal("http://iiif.io/api/image", info.GetProperty("protocol").GetString());

        var profile = info.GetProperty("profile");
        if (v.IsV2)
        {
            Assert.Equal(JsonValueKind.Array, profile.ValueKind);
            Assert.StartsWith("http://iiif.io/api/image/2/level", profile[0].GetString(), StringComparison.Ordinal);
            Assert.Equal("http://iiif.io/api/image/2/level2.json", profile[0].GetString());
        }
        else
        {
            Assert.Equal("level2", profile.GetString());
        }

        if (info.TryGetProperty("sizes", out var sizes))
        {
            Assert.Equal(JsonValueKind.Array, sizes.ValueKind);
            Assert.All(sizes.EnumerateArray(), s => Assert.True(s.GetProperty("width").TryGetInt32(out _) && s.GetProperty("height").TryGetInt32(out _)));
        }

        if (info.TryGetProperty("tiles", out var tiles))
        {
            Assert.Equal(JsonValueKind.Array, tiles.ValueKind);
            Assert.All(tiles.EnumerateArray(), t =>
            {
                Assert.True(t.GetProperty("width").TryGetInt32(out _));
                Assert.All(t.GetProperty("scaleFactors").EnumerateArray(), f => Assert.True(f.TryGetInt32(out _)));
            });
        }

        if (!v.IsV2)
        {
            Assert.Equal("ImageService3", info.GetProperty("type").GetString());
            Assert.False(info.TryGetProperty("license", out _), "license was renamed rights in 3.0");
            Assert.False(info.TryGetProperty("attribution", out _), "attribution was removed in 3.0");
            Assert.False(info.TryGetProperty("logo", out _), "logo was removed in 3.0");
            if (info.TryGetProperty("rights", out var rights))
            {
                Assert.StartsWith("http:", rights.GetString(), StringComparison.Ordinal);
            }

            foreach (var list in new[] { "extraQualities", "extraFormats", "extraFeatures" })
            {
                if (info.TryGetProperty(list, out var values))
                {
                    Assert.All(values.EnumerateArray(), q => Assert.Equal(JsonValueKind.String, q.ValueKind));
                }
            }

            foreach (var linking in new[] { "service", "partOf", "seeAlso" })
            {
                if (info.TryGetProperty(linking, out var items))
                {
                    Assert.All(items.EnumerateArray(), item =>
                    {
                        Assert.Equal(JsonValueKind.String, item.GetProperty("id").ValueKind);
                        Assert.Equal(JsonValueKind.String, item.GetProperty("type").ValueKind);
                    });
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task id_basic(string version)
    {
        using var image = await For(version).GetImageAsync();
        Assert.Equal("jpeg", ValidatorHttp.LoaderOf(image));
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task id_squares(string version)
    {
        var v = For(version);
        using var image = await v.GetImageAsync();
        using var expected = v.Expected();
        AssertMatches(image, expected, "full image");

        // The older validator: the dominant colour of each square's 74×74 centre is the table's.
        using var memory = image.CopyMemory();
        for (var x = 0; x < 10; x++)
        {
            for (var y = 0; y < 10; y++)
            {
                using var crop = memory.ExtractArea((x * 100) + 13, (y * 100) + 13, 74, 74);
                Assert.True(ValidatorHttp.SquareHasColour(crop, x, y), $"square {x},{y}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task id_error_escapedslash(string version)
    {
        var v = For(version);
        Assert.Equal(404, (await v.SendAsync($"{v.Prefix}/a/b/info.json")).Status);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task id_error_random(string version)
    {
        var v = For(version);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(404, (await v.SendAsync($"{v.Prefix}/{Guid.NewGuid()}/info.json")).Status);
        }
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task id_error_unescaped(string version)
    {
        var v = For(version);
        Assert.Contains((await v.SendAsync($"{v.Prefix}/%5Bfrob%5D/info.json")).Status, new[] { 400, 404 });
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task id_escaped(string version)
    {
        var v = For(version);
        var response = await v.SendAsync($"{v.Prefix}/{ValidatorImages.Identifier.Replace("-", "%2D", StringComparison.Ordinal)}/info.json");
        Assert.Equal(200, response.Status);
    }

    // ---- Region ----

    public static TheoryData<string, int, int> VersionsAndSquares()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var version in new[] { "2.0", "3.0" })
        {
            for (var x = 0; x < 10; x++)
            {
                for (var y = 0; y < 10; y++)
                {
                    data.Add(version, x, y);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(VersionsAndSquares))]
    public async Task region_pixels(string version, int x, int y)
    {
        var v = For(version);
        using var rect = await v.GetImageAsync(region: $"{x * 100},{y * 100},100,100");
        using var expected = v.Expected();
        var difference = ValidatorHttp.MaxDifferenceOfSquare(expected, rect, x, y);
        Assert.True(difference < 6, $"square {x},{y}: largest difference {difference} (validator allows < 6)");
    }

    [Theory]
    [MemberData(nameof(VersionsAndSquares))]
    public async Task region_percent(string version, int x, int y)
    {
        var v = For(version);
        using var rect = await v.GetImageAsync(region: $"pct:{x * 10},{y * 10},10,10");
        using var expected = v.Expected();
        var difference = ValidatorHttp.MaxDifferenceOfSquare(expected, rect, x, y);
        Assert.True(difference < 6, $"square {x},{y}: largest difference {difference} (validator allows < 6)");
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task region_square(string version)
    {
        var v = For(version);
        using var square = await v.GetImageAsync(region: "square");
        using var expected = v.Expected();
        Assert.Equal(square.Width, square.Height);
        AssertMatches(square, expected, "square region of a square image");
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task region_error_random(string version)
    {
        var v = For(version);
        var random = new Random(31337);
        for (var i = 0; i < 25; i++)
        {
            var region = ValidatorHttp.RandomString(random, 6);
            var response = await v.GetImageResponseAsync(region: region);
            Assert.True(response.Status == 400, $"region {region}: {response.Status} {response.Text}");
        }
    }

    // ---- Size ----

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task size_wc(string version)
    {
        var v = For(version);
        using var full = v.Expected();
        for (var s = 450; s <= 750; s += 23)
        {
            using var image = await v.GetImageAsync(size: $"{s},");
            using var expected = full.Call("thumbnail_image", ("width", s), ("height", s), ("size", "force"));
            AssertMatches(image, expected, $"size {s},");
        }
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task size_ch(string version)
    {
        var v = For(version);
        using var full = v.Expected();
        for (var s = 450; s <= 750; s += 23)
        {
            using var image = await v.GetImageAsync(size: $",{s}");
            using var expected = full.Call("thumbnail_image", ("width", s), ("height", s), ("size", "force"));
            AssertMatches(image, expected, $"size ,{s}");
        }
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task size_wh(string version)
    {
        var v = For(version);
        using var full = v.Expected();
        var random = new Random(31337);
        for (var i = 0; i < 8; i++)
        {
            var (w, h) = (random.Next(350, 751), random.Next(350, 751));
            using var image = await v.GetImageAsync(size: $"{w},{h}");
            using var expected = full.Call("thumbnail_image", ("width", w), ("height", h), ("size", "force"));
            AssertMatches(image, expected, $"size {w},{h}");
        }
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task size_bwh(string version)
    {
        var v = For(version);
        using var full = v.Expected();
        var random = new Random(31337);
        for (var i = 0; i < 8; i++)
        {
            var (w, h) = (random.Next(350, 751), random.Next(350, 751));
            var s = Math.Min(w, h);
            using var image = await v.GetImageAsync(size: $"!{w},{h}");
            using var expected = full.Call("thumbnail_image", ("width", s), ("height", s), ("size", "force"));
            AssertMatches(image, expected, $"size !{w},{h}");
        }
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task size_percent(string version)
    {
        var v = For(version);
        using var full = v.Expected();
        for (var s = 45; s <= 75; s += 3)
        {
            using var image = await v.GetImageAsync(size: $"pct:{s}");
            using var expected = full.Call("thumbnail_image", ("width", s * 10), ("height", s * 10), ("size", "force"));
            AssertMatches(image, expected, $"size pct:{s}");
        }
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task size_region(string version)
    {
        var v = For(version);
        using var full = v.Expected();
        var random = new Random(31337);
        for (var i = 0; i < 12; i++)
        {
            var (s, x, y) = (random.Next(35, 91), random.Next(0, 10), random.Next(0, 10));
            using var image = await v.GetImageAsync(region: $"{x * 100},{y * 100},100,100", size: $"{s},{s}");
            using var area = full.ExtractArea(x * 100, y * 100, 100, 100);
            using var expected = area.Call("thumbnail_image", ("width", s), ("height", s), ("size", "force"));
            AssertMatches(image, expected, $"region {x * 100},{y * 100},100,100 size {s},{s}");
        }
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task size_up(string version)
    {
        var v = For(version);
        using var full = v.Expected();
        foreach (var s in new[] { 1100, 1437, 2000 })
        {
            if (v.IsV2)
            {
                using var image = await v.GetImageAsync(size: $",{s}");
                using var expected = full.Call("thumbnail_image", ("width", s), ("height", s), ("size", "force"));
                AssertMatches(image, expected, $"size ,{s}");

                // The older validator: squares scaled by s/1000 keep their colours.
                using var memory = image.CopyMemory();
                var side = (int)(s / 1000.0 * 100);
                for (var x = 0; x < 10; x += 3)
                {
                    using var crop = memory.ExtractArea((x * side) + 13, (x * side) + 13, side - 13, side - 13);
                    Assert.True(ValidatorHttp.SquareHasColour(crop, x, x), $"square {x},{x} at ,{s}");
                }
            }
            else
            {
                Assert.NotEqual(200, (await v.GetImageResponseAsync(size: $",{s}")).Status);
                var sizes = new Dictionary<string, (int, int)>
                {
                    [$"^{s},{s}"] = (s, s), [$"^,{s}"] = (s, s), [$"^{s},"] = (s, s),
                    ["^pct:200"] = (2000, 2000), ["^!2000,500"] = (500, 500), ["^!2000,3000"] = (2000, 2000),
                };
                foreach (var (size, (w, h)) in sizes)
                {
                    using var image = await v.GetImageAsync(size: size);
                    using var expected = full.Call("thumbnail_image", ("width", w), ("height", h), ("size", "force"));
                    AssertMatches(image, expected, $"size {size}");
                }
            }
        }
    }

    /// <summary>
    /// The newer validator's size_up also wants <c>^max</c> to give (1000, 1000), as the reference implementation does when
    /// no limits are configured. Tessera follows the validator by default (<c>ServerLimits.UpscaleCaretMaxToLimits</c>
    /// off); the literal reading of 3.0 §4.2, upscaling to the advertised limits, is a setting.
    /// </summary>
    [Fact]
    public async Task size_up_caret_max()
    {
        using var image = await For("3.0").GetImageAsync(size: "^max");
        Assert.Equal((1000, 1000), (image.Width, image.Height));
    }

    [Fact]
    public async Task size_noup()
    {
        var v = For("3.0");
        foreach (var s in new[] { 1100, 1437, 2000 })
        {
            foreach (var size in new[] { $"{s},{s}", $",{s}", $"{s},", "pct:200", "!2000,3000" })
            {
                var response = await v.GetImageResponseAsync(size: size);
                Assert.True(response.Status == 400, $"size {size}: {response.Status} (validator wants not 200; the older one 400)");
            }
        }
    }

    [Fact]
    public async Task size_nofull()
    {
        var v = For("3.0");
        Assert.NotEqual(200, (await v.GetImageResponseAsync(size: "full")).Status);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task size_error_random(string version)
    {
        var v = For(version);
        var random = new Random(31337);
        for (var i = 0; i < 25; i++)
        {
            var size = ValidatorHttp.RandomString(random, 6);
            var response = await v.GetImageResponseAsync(size: size);
            Assert.True(response.Status == 400, $"size {size}: {response.Status} {response.Text}");
        }
    }

    // ---- Rotation ----

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task rot_full_basic(string version)
    {
        var v = For(version);
        using var full = v.Expected();
        foreach (var (rotation, angle) in new[] { ("90", "d90"), ("180", "d180"), ("270", "d270") })
        {
            using var image = await v.GetImageAsync(rotation: rotation);
            using var expected = full.Rot(angle);
            AssertMatches(image, expected, $"rotation {rotation}");
        }
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task rot_full_non90(string version)
    {
        var v = For(version);
        using var full = v.Expected();
        foreach (var rotation in new[] { 1, 22, 45, 89, 91, 137, 200, 271, 315, 359 })
        {
            using var image = await v.GetImageAsync(rotation: rotation.ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var expected = full.Call("rotate", ("angle", (double)rotation));
            using var given = image.ExtractArea(300, 300, 300, 300);
            using var wanted = expected.ExtractArea(300, 300, 300, 300);
            var difference = ValidatorHttp.MeanDifference(given, wanted);
            Assert.True(difference < 6, $"rotation {rotation}: mean difference {difference:F2} of the area 300,300,300,300 (validator allows < 6)");
        }
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task rot_region_basic(string version)
    {
        var v = For(version);
        using var full = v.Expected();
        var random = new Random(31337);
        for (var i = 0; i < 4; i++)
        {
            var (x, y, w, h) = (random.Next(0, 501), random.Next(0, 501), random.Next(100, 401), random.Next(100, 401));
            using var area = full.ExtractArea(x, y, w, h);
            foreach (var (rotation, angle) in new[] { ("90", "d90"), ("180", "d180"), ("270", "d270") })
            {
                using var image = await v.GetImageAsync(region: $"{x},{y},{w},{h}", rotation: rotation);
                using var expected = area.Rot(angle);
                AssertMatches(image, expected, $"region {x},{y},{w},{h} rotation {rotation}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task rot_region_non90(string version)
    {
        var v = For(version);
        using var full = v.Expected();
        var random = new Random(31337);
        for (var i = 0; i < 8; i++)
        {
            var rotation = random.Next(1, 360);
            if (rotation % 90 == 0)
            {
                continue;
            }

            var (x, y, w, h) = (random.Next(0, 501), random.Next(0, 501), random.Next(100, 401), random.Next(100, 401));
            using var image = await v.GetImageAsync(region: $"{x},{y},{w},{h}", rotation: rotation.ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var area = full.ExtractArea(x, y, w, h);
            using var expected = area.Call("rotate", ("angle", (double)rotation));
            using var given = image.ExtractArea(w / 4, h / 4, w / 4, h / 4);
            using var wanted = expected.ExtractArea(w / 4, h / 4, w / 4, h / 4);
            var difference = ValidatorHttp.MeanDifference(given, wanted);
            Assert.True(difference < 6, $"region {x},{y},{w},{h} rotation {rotation}: mean difference {difference:F2} (validator allows < 6)");
        }
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task rot_mirror(string version)
    {
        var v = For(version);
        using var full = v.Expected();
        using var image = await v.GetImageAsync(rotation: "!0");
        using var expected = full.FlipHorizontal();
        AssertMatches(image, expected, "rotation !0");

        // The older validator: the top-left shows square 9,0 and the bottom-right square 0,9.
        using var memory = image.CopyMemory();
        using (var crop = memory.ExtractArea(12, 12, 64, 64))
        {
            Assert.True(ValidatorHttp.SquareHasColour(crop, 9, 0));
        }

        using (var crop = memory.ExtractArea(912, 912, 64, 64))
        {
            Assert.True(ValidatorHttp.SquareHasColour(crop, 0, 9));
        }
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task rot_mirror_180(string version)
    {
        var v = For(version);
        using var full = v.Expected();
        using var image = await v.GetImageAsync(rotation: "!180");
        using var expected = full.Call("flip", ("direction", "vertical"));
        AssertMatches(image, expected, "rotation !180");
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task rot_error_random(string version)
    {
        var v = For(version);
        var random = new Random(31337);
        for (var i = 0; i < 25; i++)
        {
            var rotation = ValidatorHttp.RandomString(random, 4);
            if (double.TryParse(rotation.TrimStart('!'), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var degrees) && degrees <= 360)
            {
                continue; // by chance a valid rotation; the validator would be wrong to want 400
            }

            var response = await v.GetImageResponseAsync(rotation: rotation);
            Assert.True(response.Status == 400, $"rotation {rotation}: {response.Status} {response.Text}");
        }
    }

    // ---- Quality ----

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task quality_color(string version)
    {
        using var image = await For(version).GetImageAsync(quality: "color");
        Assert.Contains(image.Interpretation, new[] { Interpretation.Srgb, Interpretation.Rgb });
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task quality_grey(string version)
    {
        using var image = await For(version).GetImageAsync(quality: "gray");
        if (image.Bands != 1 && image.Interpretation is not (Interpretation.Grey16 or Interpretation.BW))
        {
            var pixels = image.ToPixels();
            var equal = 0;
            for (var i = 0; i < pixels.Length; i += image.Bands)
            {
                equal += pixels[i] == pixels[i + 1] && pixels[i + 1] == pixels[i + 2] ? 1 : 0;
            }

            Assert.True(equal >= 0.99 * (pixels.Length / image.Bands), "R == G == B for at least 99% of pixels");
        }
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task quality_bitonal(string version)
    {
        using var image = await For(version).GetImageAsync(quality: "bitonal");
        var pixels = image.ToPixels();
        var bands = image.HasAlpha ? image.Bands - 1 : image.Bands;
        int exact = 0, near = 0;
        for (var i = 0; i < pixels.Length; i += image.Bands)
        {
            var all0 = true;
            var all255 = true;
            var sum = 0;
            for (var b = 0; b < bands; b++)
            {
                all0 &= pixels[i + b] == 0;
                all255 &= pixels[i + b] == 255;
                sum += pixels[i + b];
            }

            exact += all0 || all255 ? 1 : 0;
            near += sum * 3 / bands < 15 || sum * 3 / bands > 750 ? 1 : 0;
        }

        var count = pixels.Length / image.Bands;

        // The newer validator counts exact black and white pixels (any share passes); the older wanted 1 band or 65% near.
        Assert.True(exact > 0.9 * count, $"{exact} of {count} pixels exactly black or white");
        Assert.True(image.Bands == 1 || near > 0.65 * count, $"{near} of {count} pixels nearly black or white");
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task quality_error_random(string version)
    {
        var v = For(version);
        var random = new Random(31337);
        for (var i = 0; i < 25; i++)
        {
            var quality = ValidatorHttp.RandomString(random, 6);
            var response = await v.GetImageResponseAsync(quality: quality);
            Assert.True(response.Status == 400, $"quality {quality}: {response.Status} {response.Text}");
        }
    }

    // ---- Format ----

    [Theory]
    [InlineData("2.0", "jpg", "jpeg")]
    [InlineData("3.0", "jpg", "jpeg")]
    [InlineData("2.0", "png", "png")]
    [InlineData("3.0", "png", "png")]
    [InlineData("2.0", "gif", "gif")]
    [InlineData("3.0", "gif", "gif")]
    [InlineData("2.0", "tif", "tiff")]
    [InlineData("3.0", "tif", "tiff")]
    [InlineData("2.0", "webp", "webp")]
    [InlineData("3.0", "webp", "webp")]
    [InlineData("2.0", "jp2", "jp2k")]
    [InlineData("3.0", "jp2", "jp2k")]
    public async Task format_(string version, string format, string loader)
    {
        using var image = await For(version).GetImageAsync(format: format);
        Assert.Equal(loader, ValidatorHttp.LoaderOf(image));
        Assert.Equal((1000, 1000), (image.Width, image.Height));
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task format_pdf(string version)
    {
        // The validator's optional test: run when info.json advertises pdf; then the answer must be a PDF.
        var v = For(version);
        var info = (await v.SendAsync(v.InfoPath)).Text;
        Assert.Contains("\"pdf\"", info, StringComparison.Ordinal);
        var response = await v.GetImageResponseAsync(format: "pdf");
        Assert.Equal(200, response.Status);
        Assert.Equal("application/pdf", response.First("Content-Type")?.Split(';')[0]);
        Assert.StartsWith("%PDF", response.Text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task format_error_random(string version)
    {
        var v = For(version);
        var random = new Random(31337);
        for (var i = 0; i < 32; i++)
        {
            var format = ValidatorHttp.RandomString(random, 3);
            var response = await v.GetImageResponseAsync(format: format);
            Assert.True(response.Status == 400, $"format {format}: {response.Status} {response.Text}");
        }
    }

    // ---- HTTP ----

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task http_cors(string version)
    {
        var v = For(version);
        foreach (var target in new[] { v.InfoPath, v.ImagePath() })
        {
            foreach (var method in new[] { "OPTIONS", "GET" })
            {
                var response = await v.SendAsync(target, method);

                // The older validator (2.0) wanted exactly "*"; the newer accepts the Origin too.
                Assert.True(response.Last("Access-Control-Allow-Origin") == "*", $"{method} {target}: Access-Control-Allow-Origin {response.Last("Access-Control-Allow-Origin") ?? "<none>"}");
                Assert.Equal(response.First("Access-Control-Allow-Origin"), response.Last("Access-Control-Allow-Origin"));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task http_jsonld(string version)
    {
        var v = For(version);
        var response = await v.SendAsync(v.InfoPath, extraHeaders: "Accept: application/ld+json\r\n");
        Assert.Equal(200, response.Status);
        Assert.StartsWith("application/ld+json", response.Last("Content-Type"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task http_baseurl_redirect(string version)
    {
        var v = For(version);
        var response = await v.SendAsync($"{v.Prefix}/{ValidatorImages.Identifier}");
        Assert.InRange(response.Status, 300, 399);
        Assert.Equal($"{v.BaseUrl}/{ValidatorImages.Identifier}/info.json", response.Last("Location"));
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task http_linkheader_canonical(string version)
    {
        var v = For(version);
        var response = await v.GetImageResponseAsync();
        Assert.Equal(200, response.Status);

        // Both readings of a repeated header: the newer validator keeps the last line, the older the first.
        foreach (var header in new[] { response.First("Link"), response.Last("Link") })
        {
            var links = ValidatorHttp.RelLinks(header);
            Assert.True(links.ContainsKey("canonical"), $"Link: {header}");
            Assert.StartsWith(v.BaseUrl + "/", links["canonical"][0], StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task http_linkheader_profile(string version)
    {
        var v = For(version);
        var response = await v.GetImageResponseAsync();
        Assert.Equal(200, response.Status);
        foreach (var header in new[] { response.First("Link"), response.Last("Link") })
        {
            var links = ValidatorHttp.RelLinks(header);
            Assert.True(links.ContainsKey("profile"), $"Link: {header}");
            Assert.StartsWith($"http://iiif.io/api/image/{(v.IsV2 ? 2 : 3)}/", links["profile"][0], StringComparison.Ordinal);
        }
    }
}
