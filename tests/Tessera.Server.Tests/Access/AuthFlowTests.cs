using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Tessera.Server.Tests.Access;

/// <summary>The IIIF Authorization Flow 2.0 (and 1.0) step by step over HTTP, as a client would walk it.</summary>
public sealed partial class AuthFlowTests(AccessServerFixture server)
{
    private const string ClientA = "http://client-a.example:8080";
    private const string ClientB = "https://client-b.example";

    private static string Probe(string identifier) => "/auth/v2/probe/" + identifier;

    private static string Info(string identifier) => $"/iiif/3/{Uri.EscapeDataString(identifier)}/info.json";

    /// <summary>The message the token page posts and the origin it targets.</summary>
    private async Task<(JsonNode Message, string Target)> TokenPageAsync(string query, string? user)
    {
        using var response = await server.GetAsync("/auth/v2/token" + query, user: user);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        var match = PostMessage().Match(html);
        Assert.True(match.Success, html);
        return (JsonNode.Parse(match.Groups[1].Value)!, JsonNode.Parse(match.Groups[2].Value)!.GetValue<string>());
    }

    private async Task<int> ProbeStatusAsync(string identifier, string? token, string? origin)
    {
        using var response = await server.GetAsync(Probe(identifier), token: token, origin: origin);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("http://iiif.io/api/auth/2/context.json", result["@context"]!.GetValue<string>());
        Assert.Equal("AuthProbeResult2", result["type"]!.GetValue<string>());
        return result["status"]!.GetValue<int>();
    }

    [Fact]
    public async Task Probe_401_then_access_then_token_for_the_right_origin_then_probe_200_then_image_200()
    {
        // 1. The probe without a token: 401, with text for the user.
        using (var probe = await server.GetAsync(Probe("restricted/r.jpg")))
        {
            var result = JsonNode.Parse(await probe.Content.ReadAsStringAsync())!;
            Assert.Equal(401, result["status"]!.GetValue<int>());
            Assert.NotNull(result["heading"]!["en"]);
            Assert.Null(result["location"]);
        }

        // 2. The access service sends a user without a session to the login page, and back to a page that closes.
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var noRedirects = new HttpClient(handler) { BaseAddress = server.BaseAddress };
        using (var access = await noRedirects.GetAsync("/auth/v2/access?origin=" + Uri.EscapeDataString(ClientA)))
        {
            Assert.Equal(HttpStatusCode.Redirect, access.StatusCode);
            Assert.Equal("/auth/login?returnUrl=%2Fauth%2Fdone", access.Headers.Location!.OriginalString);
        }

        // 3. Without a session the token page posts an error; with one, a token, to the origin asked for only.
        var (error, _) = await TokenPageAsync($"?messageId=m1&origin={Uri.EscapeDataString(ClientA)}", user: null);
        Assert.Equal("AuthAccessTokenError2", error["type"]!.GetValue<string>());
        Assert.Equal("missingAspect", error["profile"]!.GetValue<string>());
        Assert.Equal("m1", error["messageId"]!.GetValue<string>());

        var (message, target) = await TokenPageAsync($"?messageId=m2&origin={Uri.EscapeDataString(ClientA)}", user: "bob");
        Assert.Equal(ClientA, target);
        Assert.Equal("http://iiif.io/api/auth/2/context.json", message["@context"]!.GetValue<string>());
        Assert.Equal("AuthAccessToken2", message["type"]!.GetValue<string>());
        Assert.Equal("m2", message["messageId"]!.GetValue<string>());
        Assert.True(message["expiresIn"]!.GetValue<int>() > 0);
        var token = message["accessToken"]!.GetValue<string>();

        // 4. The probe with the token from origin A: 200; the image and its info.json too.
        Assert.Equal(200, await ProbeStatusAsync("restricted/r.jpg", token, ClientA));
        using var info = await server.GetAsync(Info("restricted/r.jpg"), token: token, origin: ClientA);
        Assert.Equal(HttpStatusCode.OK, info.StatusCode);
        using var image = await server.GetAsync($"/iiif/3/{Uri.EscapeDataString("restricted/r.jpg")}/full/100,/0/default.jpg", token: token, origin: ClientA);
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/jpeg", image.Content.Headers.ContentType?.MediaType);

        // The same token from another origin, or with no Origin (only the server's own pages may omit it), is refused.
        Assert.Equal(401, await ProbeStatusAsync("restricted/r.jpg", token, ClientB));
        using var elsewhere = await server.GetAsync(Info("restricted/r.jpg"), token: token, origin: ClientB);
        Assert.Equal(HttpStatusCode.Unauthorized, elsewhere.StatusCode);
        using var noOrigin = await server.GetAsync(Info("restricted/r.jpg"), token: token);
        Assert.Equal(HttpStatusCode.Unauthorized, noOrigin.StatusCode);
    }

    [Fact]
    public async Task Logout_revokes_every_token_of_the_user()
    {
        var (first, _) = await TokenPageAsync($"?messageId=a&origin={Uri.EscapeDataString(ClientA)}", user: "dave");
        var (second, _) = await TokenPageAsync($"?messageId=b&origin={Uri.EscapeDataString(ClientB)}", user: "dave");
        var (others, _) = await TokenPageAsync($"?messageId=c&origin={Uri.EscapeDataString(ClientA)}", user: "erin");
        Assert.Equal(200, await ProbeStatusAsync("restricted/r.jpg", first["accessToken"]!.GetValue<string>(), ClientA));

        using var logout = await server.GetAsync("/auth/v2/logout", user: "dave");
        Assert.Equal(HttpStatusCode.OK, logout.StatusCode);
        Assert.Equal("2", logout.Headers.GetValues("Tessera-Tokens-Revoked").Single());
        Assert.Equal(401, await ProbeStatusAsync("restricted/r.jpg", first["accessToken"]!.GetValue<string>(), ClientA));
        Assert.Equal(401, await ProbeStatusAsync("restricted/r.jpg", second["accessToken"]!.GetValue<string>(), ClientB));
        Assert.Equal(200, await ProbeStatusAsync("restricted/r.jpg", others["accessToken"]!.GetValue<string>(), ClientA));
    }

    [Fact]
    public async Task A_forged_or_altered_token_is_refused()
    {
        var (message, _) = await TokenPageAsync($"?messageId=x&origin={Uri.EscapeDataString(ClientA)}", user: "bob");
        var token = message["accessToken"]!.GetValue<string>();
        var altered = token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1];
        Assert.Equal(401, await ProbeStatusAsync("restricted/r.jpg", altered, ClientA));
        Assert.Equal(401, await ProbeStatusAsync("restricted/r.jpg", "not-a-token", ClientA));
    }

    [Theory]
    [InlineData("?messageId=1&origin=http%3A%2F%2Fclient.example%2Fpath", "invalidOrigin")]
    [InlineData("?messageId=1&origin=javascript%3Aalert(1)", "invalidOrigin")]
    [InlineData("?origin=http%3A%2F%2Fclient.example", "invalidRequest")]
    public async Task The_token_service_posts_the_specs_errors(string query, string profile)
    {
        var (message, _) = await TokenPageAsync(query, user: "bob");
        Assert.Equal("AuthAccessTokenError2", message["type"]!.GetValue<string>());
        Assert.Equal(profile, message["profile"]!.GetValue<string>());
        Assert.Null(message["accessToken"]);
    }

    [Fact]
    public async Task A_token_page_cannot_be_made_to_run_script_from_the_message_id()
    {
        using var response = await server.GetAsync("/auth/v2/token?messageId=%3C%2Fscript%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E&origin=" + Uri.EscapeDataString(ClientA), user: "bob");
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(2, Regex.Count(html, "<script>|</script>"));
    }

    [Theory]
    [InlineData("staff/s.jpg", "bob:reader", 403)]
    [InlineData("staff/s.jpg", "carol:staff", 200)]
    [InlineData("open/a.jpg", null, 200)]
    public async Task The_probe_answers_what_the_image_would(string identifier, string? user, int status)
    {
        string? token = null;
        if (user is not null)
        {
            var (message, _) = await TokenPageAsync($"?messageId=r&origin={Uri.EscapeDataString(ClientA)}", user);
            token = message["accessToken"]!.GetValue<string>();
        }

        Assert.Equal(status, await ProbeStatusAsync(identifier, token, ClientA));
        using var image = await server.GetAsync($"/iiif/3/{Uri.EscapeDataString(identifier)}/full/50,/0/default.jpg", token: token, origin: ClientA);
        Assert.Equal(status, (int)image.StatusCode);
    }

    [Fact]
    public async Task The_probe_of_a_degraded_image_offers_the_reduced_service_as_a_substitute()
    {
        using var response = await server.GetAsync(Probe("museum/m.jpg"));
        var result = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(401, result["status"]!.GetValue<int>());
        var substitute = result["substitute"]!.AsArray().Single()!;
        Assert.Equal($"{server.Origin}/iiif/3/{Uri.EscapeDataString("museum/m.jpg")}", substitute["id"]!.GetValue<string>());
        Assert.Equal("ImageService3", substitute["type"]!.GetValue<string>());
        Assert.Null(result["location"]);

        var (message, _) = await TokenPageAsync($"?messageId=d&origin={Uri.EscapeDataString(ClientA)}", user: "bob");
        Assert.Equal(200, await ProbeStatusAsync("museum/m.jpg", message["accessToken"]!.GetValue<string>(), ClientA));
    }

    [Fact]
    public async Task Auth_1_token_service_answers_json_or_a_postMessage_page()
    {
        using var anonymous = await server.GetAsync("/auth/v1/token");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("missingCredentials", JsonNode.Parse(await anonymous.Content.ReadAsStringAsync())!["error"]!.GetValue<string>());

        using var json = await server.GetAsync("/auth/v1/token", user: "bob", origin: ClientA);
        var token = JsonNode.Parse(await json.Content.ReadAsStringAsync())!["accessToken"]!.GetValue<string>();
        using var info = await server.GetAsync(Info("restricted/r.jpg"), token: token, origin: ClientA);
        Assert.Equal(HttpStatusCode.OK, info.StatusCode);

        using var page = await server.GetAsync($"/auth/v1/token?messageId=7&origin={Uri.EscapeDataString(ClientB)}", user: "bob");
        var match = PostMessage().Match(await page.Content.ReadAsStringAsync());
        Assert.Equal(ClientB, JsonNode.Parse(match.Groups[2].Value)!.GetValue<string>());
        var message = JsonNode.Parse(match.Groups[1].Value)!;
        Assert.Equal("7", message["messageId"]!.GetValue<string>());
        Assert.Equal(200, await ProbeStatusAsync("restricted/r.jpg", message["accessToken"]!.GetValue<string>(), ClientB));
    }

    [GeneratedRegex(@"window\.parent\.postMessage\((\{.*\}), (""[^""]*"")\);")]
    private static partial Regex PostMessage();
}
