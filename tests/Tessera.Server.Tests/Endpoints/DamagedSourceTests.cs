using System.Net;
using System.Text.RegularExpressions;
using Tessera.Server.Tests.Fixtures;
using Tessera.Testing;

namespace Tessera.Server.Tests.Endpoints;

/// <summary>
/// Broken sources (<see cref="DamagedFiles"/>: truncated JPEG, JPEG 2000, PNG and TIFF, tiles and strips past the end,
/// damaged directories, empty and random files) through the real server: never a 200, never cacheable, and the body
/// names the identifier and the reason, never a path on the server.
/// </summary>
public sealed partial class DamagedSourceTests(ServerFixture server)
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Expected = new(() =>
    {
        // The same files the fixture wrote (their reasons), made again in a scratch folder.
        var scratch = Directory.CreateTempSubdirectory("tessera-damaged-").FullName;
        try
        {
            return new DamagedFiles(scratch).All();
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    });

    public static TheoryData<string> Names() => [.. Expected.Value.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Requests a viewer makes: the description, the whole image, the first tile, a tile further down, a thumbnail.</summary>
    private static readonly string[] Requests = ["info.json", "full/max/0/default.jpg", "0,0,256,256/256,/0/default.jpg", "512,512,256,256/256,/0/default.jpg", "full/120,/0/default.jpg"];

    [Theory]
    [MemberData(nameof(Names))]
    public async Task A_damaged_source_is_an_uncacheable_error_naming_its_identifier_and_reason_never_a_path(string name)
    {
        var identifier = $"{TestImages.DamagedFolder}/{name}";
        foreach (var request in Requests)
        {
            // Twice: a second answer must not come from a cache that kept a made-up image.
            for (var attempt = 0; attempt < 2; attempt++)
            {
                using var response = await server.Client.GetAsync($"/iiif/3/{Uri.EscapeDataString(identifier)}/{request}");
                var body = await response.Content.ReadAsStringAsync();
                var what = $"{name} {request}: {(int)response.StatusCode} {body}";

                Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
                Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
                Assert.Null(response.Headers.ETag);
                Assert.Null(response.Content.Headers.LastModified);
                Assert.StartsWith($"500 Internal Server Error: identifier: The image \"{identifier}\" could not be read: ", body, StringComparison.Ordinal);
                Assert.Contains(Expected.Value[name], body, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(server.Root, body, StringComparison.Ordinal);
                Assert.DoesNotContain("operation is blocked", body, StringComparison.Ordinal);
                Assert.False(AbsolutePath().IsMatch(body), $"an absolute path in {what}");
            }
        }
    }

    [Theory]
    [InlineData("/deepzoom/{0}.dzi")]
    [InlineData("/deepzoom/{0}_files/0/0_0.jpg")]
    [InlineData("/zoomify/{0}/ImageProperties.xml")]
    [InlineData("/iiif/2/{0}/info.json")]
    [InlineData("/iiif/2/{0}/0,0,256,256/256,/0/default.jpg")]
    public async Task Every_other_route_to_a_damaged_source_is_an_uncacheable_error_too(string route)
    {
        foreach (var name in new[] { "cut-50.jp2", "cut-baseline.jpg", "tile-past-end.tif", "bad-ifd.tif" })
        {
            var path = string.Format(System.Globalization.CultureInfo.InvariantCulture, route, Uri.EscapeDataString($"{TestImages.DamagedFolder}/{name}"));
            using var response = await server.Client.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();

            Assert.True(response.StatusCode == HttpStatusCode.InternalServerError, $"{path}: {(int)response.StatusCode} {body}");
            Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
            Assert.Null(response.Headers.ETag);
            Assert.DoesNotContain(server.Root, body, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("0,0,300,300/300,/0/default.jpg")]
    [InlineData("0,0,512,512/256,/0/default.jpg")]
    [InlineData("0,0,300,300/300,/0/default.png")]
    [InlineData("0,0,512,512/256,/90/default.jpg")]
    [InlineData("0,0,512,512/256,/0/gray.jpg")]
    [InlineData("full/max/0/default.webp")]
    public async Task A_tile_whose_data_is_corrupt_fails_a_region_that_decodes_it(string request)
    {
        // libjpeg-turbo warns on the corrupt data and the JPEG tile path stops there; on the libvips path (another
        // format, a rotation, a quality), whose TIFF loader only logs libjpeg's warnings and would serve the tile grey,
        // the tiles are checked by libjpeg-turbo first.
        var identifier = $"{TestImages.DamagedFolder}/corrupt-tile.tif";
        using var response = await server.Client.GetAsync($"/iiif/3/{Uri.EscapeDataString(identifier)}/{request}");
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.InternalServerError, $"{request}: {(int)response.StatusCode} {body}");
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Contains($"The image \"{identifier}\" could not be read: ", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("512,0,300,300/300,/0/default.png")]
    [InlineData("512,0,300,300/300,/90/default.jpg")]
    public async Task Regions_away_from_the_corrupt_tile_are_served(string request)
    {
        // The check is per tile: the rest of the file is whole and is served as usual.
        var identifier = $"{TestImages.DamagedFolder}/corrupt-tile.tif";
        using var response = await server.Client.GetAsync($"/iiif/3/{Uri.EscapeDataString(identifier)}/{request}");

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{request}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Theory]
    [InlineData("/iiif/3/no-such-image.jpg/info.json", HttpStatusCode.NotFound)]
    [InlineData("/iiif/3/photo.jpg/full/max/0/default.exe", HttpStatusCode.BadRequest)]
    [InlineData("/no/such/route", HttpStatusCode.NotFound)]
    public async Task Client_errors_are_not_cacheable_either(string path, HttpStatusCode status)
    {
        using var response = await server.Client.GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Null(response.Headers.ETag);
    }

    [Fact]
    public async Task Concurrent_failures_of_two_damaged_files_each_report_only_their_own_cause()
    {
        // Both fail inside libvips while reading the header, so their reasons come from its one process-wide error buffer.
        var tiff = Uri.EscapeDataString($"{TestImages.DamagedFolder}/bad-ifd.tif");
        var jpeg = Uri.EscapeDataString($"{TestImages.DamagedFolder}/cut-header.jpg");
        var bodies = await Task.WhenAll(Enumerable.Range(0, 240).Select(async i =>
        {
            var target = i % 2 == 0 ? tiff : jpeg;
            using var response = await server.Client.GetAsync($"/iiif/3/{target}/info.json");
            return (Tiff: i % 2 == 0, Body: await response.Content.ReadAsStringAsync());
        }));

        foreach (var (isTiff, body) in bodies)
        {
            Assert.DoesNotContain(isTiff ? "JPEG" : "TIFF", body, StringComparison.OrdinalIgnoreCase);
            Assert.Contains(isTiff ? "bad-ifd.tif\" could not be read" : "cut-header.jpg\" could not be read", body, StringComparison.Ordinal);
        }

        // Most answers carry the codec's own words (only a failure that cannot prove which lines are its own is generic).
        Assert.True(bodies.Count(b => b.Body.Contains("Premature end", StringComparison.Ordinal) || b.Body.Contains("TIFF", StringComparison.Ordinal)) > bodies.Length / 2, string.Join('\n', bodies.Select(b => b.Body).Distinct()));
    }

    /// <summary>A slash that starts a word and continues into a name: "/tmp/x", not "damaged/cut.png" nor "3/".</summary>
    [GeneratedRegex(@"(?<![\w.:/])/[A-Za-z]")]
    private static partial Regex AbsolutePath();
}
