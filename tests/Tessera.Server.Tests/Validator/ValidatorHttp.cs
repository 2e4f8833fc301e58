using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Tessera.Server.Tests.Fixtures;
using Tessera.Vips;

namespace Tessera.Server.Tests.Validator;

/// <summary>One HTTP response as the validator sees it: status, every header line in order, the body.</summary>
public sealed record ValidatorResponse(int Status, IReadOnlyList<(string Name, string Value)> HeaderLines, byte[] Body)
{
    /// <summary>The header the way the validator reads it: its newer code keeps the last line of a repeated header
    /// (<c>{k.lower(): v for k, v in headers.items()}</c>), its older code the first (<c>message['link']</c>).</summary>
    public IReadOnlyList<string> All(string name) =>
        [.. HeaderLines.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value)];

    public string? First(string name) => All(name) is [var first, ..] ? first : null;

    public string? Last(string name) => All(name) is [.., var last] ? last : null;

    public string Text => Encoding.UTF8.GetString(Body);
}

/// <summary>
/// The validator's client side (<c>iiif_validator/tests/test.py</c>): its browser-like headers, its URL shapes, no
/// redirects followed, raw request lines (urllib does not normalise the path), and its image comparisons with libvips.
/// </summary>
public sealed class ValidatorHttp(ServerFixture server, string version)
{
    /// <summary>The validator's <c>HEADERS</c>, sent with every request.</summary>
    private const string StandardHeaders =
        "Origin: http://iiif.io/\r\nReferer: http://iiif.io/api/image/validator\r\n" +
        "User-Agent: Mozilla/5.0 (Macintosh; U; Intel Mac OS X 10.5; en-US; rv:1.9.1b3pre) Gecko/20081130 Minefield/3.1b3pre\r\n";

    public bool IsV2 => version.StartsWith('2');

    /// <summary>The path prefix before the identifier (the validator's <c>base_url</c> without scheme and host).</summary>
    public string Prefix => IsV2 ? "/iiif/2" : "/iiif/3";

    public string BaseUrl => $"http://{server.BaseAddress.Authority}{Prefix}";

    public string InfoPath => $"{Prefix}/{ValidatorImages.Identifier}/info.json";

    /// <summary><c>ImageAPIRequest.url</c>: v2 turns <c>max</c> into <c>full</c>.</summary>
    public string ImagePath(string region = "full", string size = "max", string rotation = "0", string quality = "default", string format = "jpg")
    {
        if (IsV2 && size == "max")
        {
            size = "full";
        }

        return $"{Prefix}/{ValidatorImages.Identifier}/{region}/{size}/{rotation}/{quality}.{format}";
    }

    public async Task<ValidatorResponse> SendAsync(string target, string method = "GET", string extraHeaders = "")
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
        await using var stream = tcp.GetStream();

        // HTTP/1.0 so the body runs to the end of the stream, never chunked.
        var request = $"{method} {target} HTTP/1.0\r\nHost: {server.BaseAddress.Authority}\r\n{StandardHeaders}{extraHeaders}\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        var bytes = buffer.ToArray();
        var end = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        var head = Encoding.ASCII.GetString(bytes, 0, end).Split("\r\n");
        var status = int.Parse(head[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var lines = head.Skip(1).Select(l => (l[..l.IndexOf(':')].Trim(), l[(l.IndexOf(':') + 1)..].Trim())).ToList();
        return new ValidatorResponse(status, lines, bytes[(end + 4)..]);
    }

    public Task<ValidatorResponse> GetImageResponseAsync(string region = "full", string size = "max", string rotation = "0", string quality = "default", string format = "jpg") =>
        SendAsync(ImagePath(region, size, rotation, quality, format));

    /// <summary><c>get_image</c>: fails unless 200, then decodes whatever came.</summary>
    public async Task<VipsImage> GetImageAsync(string region = "full", string size = "max", string rotation = "0", string quality = "default", string format = "jpg")
    {
        var path = ImagePath(region, size, rotation, quality, format);
        var response = await SendAsync(path);
        Assert.True(response.Status == 200, $"{path}: {response.Status} {response.Text}");
        return VipsImage.NewFromBuffer(response.Body);
    }

    /// <summary><c>get_image_format</c>: the loader libvips picked, without <c>load...</c>.</summary>
    public static string LoaderOf(VipsImage image)
    {
        var loader = image.GetString("vips-loader") ?? "";
        var at = loader.IndexOf("load", StringComparison.Ordinal);
        return at < 0 ? loader : loader[..at];
    }

    /// <summary><c>get_expected_image</c>.</summary>
    public VipsImage Expected() => VipsImage.NewFromFile(ValidatorImages.ExpectedPath(server.Root)).CopyMemory();

    /// <summary><c>compare_images</c>: mean absolute difference under 6 (optionally of one square's 74×74 centre).</summary>
    public static double MeanDifference(VipsImage given, VipsImage expected)
    {
        using var difference = VipsOperation.Image("subtract", ("left", given), ("right", expected));
        using var absolute = difference.Call("abs");
        return absolute.Average();
    }

    /// <summary><c>compare_rectangle</c>: a 100×100 answer whose 74×74 centre differs from the square's by under 6 everywhere.</summary>
    public static double MaxDifferenceOfSquare(VipsImage reference, VipsImage rect, int x, int y)
    {
        Assert.Equal((100, 100), (rect.Width, rect.Height));
        using var expected = reference.ExtractArea((x * 100) + 13, (y * 100) + 13, 74, 74);
        using var given = rect.ExtractArea(13, 13, 74, 74);
        using var difference = VipsOperation.Image("subtract", ("left", expected), ("right", given));
        using var absolute = difference.Call("abs");
        return (double)VipsOperation.Run("max", [new("in", absolute)], ["out"])[0]!;
    }

    /// <summary>The older validator's <c>do_test_square</c>: the most common colour of a crop is within 5 of the table's.</summary>
    public static bool SquareHasColour(VipsImage crop, int x, int y)
    {
        var pixels = crop.ToPixels();
        var bands = crop.Bands;
        var counts = new Dictionary<int, int>();
        for (var i = 0; i + bands - 1 < pixels.Length; i += bands)
        {
            var key = bands >= 3 ? (pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2] : pixels[i] * 0x010101;
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        var top = counts.MaxBy(c => c.Value).Key;
        var truth = ValidatorImages.Colours[x][y];
        return Math.Abs((top >> 16) - truth.R) < 6 && Math.Abs(((top >> 8) & 255) - truth.G) < 6 && Math.Abs((top & 255) - truth.B) < 6;
    }

    /// <summary><c>make_random_string</c>: characters 48..122, with <c>?</c>, <c>#</c> and <c>/</c> made <c>$</c>.</summary>
    public static string RandomString(Random random, int length) =>
        new string([.. Enumerable.Range(0, length).Select(_ => (char)random.Next(48, 123))]).Replace('?', '$').Replace('#', '$').Replace('/', '$');

    /// <summary><c>parse_rel_links</c> of the newer validator: rel → URIs.</summary>
    public static Dictionary<string, List<string>> RelLinks(string? header)
    {
        var links = new Dictionary<string, List<string>>();
        foreach (Match link in Regex.Matches(header ?? "", "<([^>]+)>;\\s*rel=\"([^\"]+)\"\\s*([,]*)"))
        {
            var rel = link.Groups[2].Value;
            if (!links.TryGetValue(rel, out var uris))
            {
                links[rel] = uris = [];
            }

            uris.Add(link.Groups[1].Value);
        }

        return links;
    }
}
