using System.Net;
using System.Net.Sockets;
using System.Text;
using Tessera.Server.Tests.Fixtures;

namespace Tessera.Server.Tests.Endpoints;

/// <summary>What an attacker would try: escaping the root, bad files, absurd sizes. Each gets a clear error and the server goes on.</summary>
public sealed class HostileRequestTests(ServerFixture server)
{
    /// <summary>Sends a raw request line, so no client library normalises the path first.</summary>
    private async Task<(int Status, string Body)> RawGetAsync(string target)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
        await using var stream = tcp.GetStream();
        var request = Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: {server.BaseAddress.Authority}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(request);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        var status = int.Parse(text.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        return (status, text);
    }

    [Theory]
    [InlineData("/iiif/3/..%2F..%2F..%2Fetc%2Fpasswd/info.json")]
    [InlineData("/iiif/3/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd/info.json")]
    [InlineData("/iiif/3/..%252F..%252Fetc%252Fpasswd/info.json")]
    [InlineData("/iiif/3/%2Fetc%2Fpasswd/info.json")]
    [InlineData("/iiif/3/..%5C..%5Cetc%5Cpasswd/info.json")]
    [InlineData("/iiif/3/photo.jpg%00.png/info.json")]
    [InlineData("/iiif/3/sub%2F..%2F..%2Fphoto.jpg/info.json")]
    [InlineData("/iiif/3/sub%2F.%2Fdir%2Fnested.jpg/info.json")]
    [InlineData("/iiif/3/escape.jpg/info.json")]
    [InlineData("/iiif/3/escape.jpg/full/max/0/default.jpg")]
    [InlineData("/iiif/3/..%2F..%2F..%2Fetc%2Fpasswd/full/max/0/default.jpg")]
    [InlineData("/iiif/2/..%2F..%2F..%2Fetc%2Fpasswd/info.json")]
    public async Task Identifiers_never_escape_the_root(string target)
    {
        var (status, body) = await RawGetAsync(target);

        Assert.True(status is 400 or 404, $"{target} gave {status}");
        Assert.DoesNotContain("root:", body, StringComparison.Ordinal);
        Assert.DoesNotContain("\xFF\xD8", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_nested_identifier_is_served_with_its_slashes_encoded()
    {
        var (status, _) = await RawGetAsync("/iiif/3/sub%2Fdir%2Fnested.jpg/info.json");

        Assert.Equal(200, status);
    }

    [Theory]
    [InlineData(TestImages.Truncated, "full/max/0/default.jpg")]
    [InlineData(TestImages.Fake, "info.json")]
    [InlineData(TestImages.Fake, "full/max/0/default.jpg")]
    [InlineData(TestImages.Empty, "info.json")]
    [InlineData(TestImages.Empty, "full/max/0/default.jpg")]
    public async Task A_broken_file_fails_its_own_request_and_the_server_goes_on(string identifier, string rest)
    {
        using var response = await server.Client.GetAsync($"/iiif/3/{identifier}/{rest}");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("could not be read", body, StringComparison.Ordinal);
        using var healthy = await server.Client.GetAsync("/iiif/3/photo.jpg/full/100,/0/default.jpg");
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
    }

    [Theory]
    [InlineData("/iiif/3/photo.jpg/full/^100000,/0/default.jpg", "size")]
    [InlineData("/iiif/3/photo.jpg/full/^6000,6000/0/default.jpg", "size")]
    [InlineData("/iiif/3/photo.jpg/full/^pct:100000/0/default.jpg", "size")]
    [InlineData("/iiif/3/photo.jpg/full/99999999999999999999,/0/default.jpg", "size")]
    [InlineData("/iiif/3/photo.jpg/99999999999,0,10,10/max/0/default.jpg", "region")]
    [InlineData("/iiif/3/photo.jpg/full/0,/0/default.jpg", "size")]
    [InlineData("/iiif/3/photo.jpg/full/max/361/default.jpg", "rotation")]
    [InlineData("/iiif/3/photo.jpg/full/max/-90/default.jpg", "rotation")]
    [InlineData("/iiif/3/photo.jpg/full/max/0/default.exe", "format")]
    [InlineData("/iiif/3/photo.jpg/full/max/0/grey.jpg", "quality")]
    [InlineData("/iiif/3/photo.jpg/full/max/0/default", "format")]
    [InlineData("/iiif/3/photo.jpg/full/1300,/0/default.jpg", "size")]
    public async Task Absurd_requests_are_refused_with_400_naming_the_parameter(string target, string parameter)
    {
        using var response = await server.Client.GetAsync(target);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($": {parameter}: ", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_cannot_be_decoded_is_logged_for_the_operator_and_a_client_mistake_is_not()
    {
        using (await server.Client.GetAsync($"/iiif/3/{TestImages.Fake}/full/max/0/default.png?log-test"))
        using (await server.Client.GetAsync("/iiif/3/photo.jpg/full/max/0/default.logtest"))
        {
        }

        var warnings = server.Logs.Entries.Where(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning).Select(e => e.Message).ToList();
        // Once per file version: the line may come from an earlier request for the same file (a tile, its .dzi).
        Assert.Contains(warnings, m => m.StartsWith("500 for /", StringComparison.Ordinal) && m.Contains($"(identifier {TestImages.Fake},", StringComparison.Ordinal));
        Assert.DoesNotContain(warnings, m => m.Contains("logtest", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_identifier_is_404()
    {
        using var response = await server.Client.GetAsync("/iiif/3/no-such-image.jpg/info.json");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Concurrent_bad_and_good_requests_all_get_answers()
    {
        var targets = Enumerable.Range(0, 60).Select(i => (i % 3) switch
        {
            0 => $"/iiif/3/{TestImages.Truncated}/full/{100 + i},/0/default.jpg",
            1 => $"/iiif/3/{TestImages.Fake}/full/max/0/default.png",
            _ => $"/iiif/3/photo.jpg/{i},{i},300,300/150,/0/default.jpg",
        });

        var statuses = await Task.WhenAll(targets.Select(async t =>
        {
            using var response = await server.Client.GetAsync(t);
            return (int)response.StatusCode;
        }));

        Assert.Equal(20, statuses.Count(s => s == 200));
        Assert.Equal(40, statuses.Count(s => s == 500));
    }
}
