using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Tessera.Server.Authentication;
using Tessera.Server.Hosting;
using Tessera.Server.Tests.Authentication;
using Tessera.Server.Tests.Viewer;

namespace Tessera.Server.Tests.Access;

/// <summary>
/// <c>Login:SameSite</c>: the session cookie's attributes as set, the start refused for <c>None</c> without https, and in
/// a real chromium a viewer on another site (a page of <c>localhost</c> framing the token services of <c>127.0.0.1</c>:
/// another site, not only another origin) gets a token with <c>None</c> and none with the default <c>Lax</c>. The
/// servers speak plain http on loopback, which chromium counts as a secure context, so it keeps the Secure cookie; the
/// browser's profile allows third-party cookies (as a user must, for any cross-site viewer that signs in).
/// </summary>
public sealed class CrossSiteCookieTests : IAsyncLifetime
{
    private static readonly TesseraServerOptions Valid = new() { Root = AppContext.BaseDirectory };

    private readonly string _folder = Directory.CreateTempSubdirectory("tessera-cross-site-").FullName;

    private WebApplication? _viewerSite;

    /// <summary>The other site's origin, <c>http://localhost:port</c>.</summary>
    private string ViewerSite { get; set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = _viewerSite = builder.Build();
        // Frames the URL given and records every message posted to it, as a viewer's hidden token frame does.
        app.MapGet("/frame", (HttpContext context) => Results.Content(
            "<!doctype html><html><head><title>Viewer site</title></head><body><script>\n" +
            "window.received = [];\n" +
            "window.addEventListener('message', function (e) { window.received.push({ origin: e.origin, data: e.data }); });\n" +
            "var f = document.createElement('iframe'); f.src = " + JsonSerializer.Serialize(context.Request.Query["src"].ToString()) + ";\n" +
            "f.onload = function () { window.frameLoaded = true; }; document.body.appendChild(f);\n" +
            "</script></body></html>",
            "text/html; charset=utf-8"));
        await app.StartAsync();
        var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        ViewerSite = $"http://localhost:{port}";
    }

    public async ValueTask DisposeAsync()
    {
        if (_viewerSite is not null)
        {
            await _viewerSite.DisposeAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }

    private async Task<AuthTestServer> StartAsync(Func<TesseraServerOptions, TesseraServerOptions> configure)
    {
        var rules = Path.Combine(_folder, "access.json");
        File.WriteAllText(rules, """{"rules": [{"match": "restricted/*", "access": "login"}]}""");
        var users = TestLogin.WriteUsers(Path.Combine(_folder, "users.json"));
        return await AuthTestServer.StartAsync(o => configure(o with { Users = users, Access = rules }));
    }

    [Theory]
    [InlineData(null, "samesite=lax", false)]
    [InlineData("strict", "samesite=strict", false)]
    [InlineData("None", "samesite=none", true)]
    public async Task The_session_cookie_carries_the_configured_samesite_and_none_is_always_secure(string? sameSite, string attribute, bool secure)
    {
        await using var server = await StartAsync(o => sameSite is null ? o : o with { TrustForwardedHeaders = true, Login = o.Login with { SameSite = sameSite } });
        using var client = server.Client();

        using var response = await AuthTestServer.LoginAsync(client, TestLogin.UserName, TestLogin.Password);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(AuthenticationSetup.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains(attribute, cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(secure, cookie.Split(';').Any(p => p.Trim().Equals("secure", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public void Samesite_none_without_https_and_an_unknown_value_stop_the_start_with_the_reason()
    {
        Assert.Contains(
            "Expected an https BaseUrl (or TrustForwardedHeaders, TLS ended at a proxy) for Login:SameSite None, whose cookie browsers keep only as Secure, over https, but received BaseUrl \"http://images.example.org\"",
            (Valid with { BaseUrl = "http://images.example.org", Login = new LoginSettings { SameSite = "None" } }).Validate());
        Assert.Contains(
            "Expected an https BaseUrl (or TrustForwardedHeaders, TLS ended at a proxy) for Login:SameSite None, whose cookie browsers keep only as Secure, over https, but received BaseUrl \"\"",
            (Valid with { Login = new LoginSettings { SameSite = "none" } }).Validate());
        Assert.Contains("Expected Lax, Strict or None for Login:SameSite but received \"Relaxed\"", (Valid with { Login = new LoginSettings { SameSite = "Relaxed" } }).Validate());
        Assert.Empty((Valid with { BaseUrl = "https://images.example.org", Login = new LoginSettings { SameSite = "None" } }).Validate());
        Assert.Empty((Valid with { TrustForwardedHeaders = true, Login = new LoginSettings { SameSite = "NONE" } }).Validate());
        Assert.Empty((Valid with { Login = new LoginSettings { SameSite = "Strict" } }).Validate());
    }

    [Theory]
    [InlineData("Lax", false)]
    [InlineData("None", true)]
    public async Task A_viewer_on_another_site_gets_a_token_in_its_hidden_frame_only_with_samesite_none(string sameSite, bool expectToken)
    {
        await using var server = await StartAsync(o => o with { TrustForwardedHeaders = true, Login = o.Login with { SameSite = sameSite } });
        var tessera = server.BaseAddress.GetLeftPart(UriPartial.Authority);
        // The browser of someone who allows third-party cookies, so that SameSite alone decides: Browser.NewContextAsync
        // makes an off-the-record context, and a fresh chromium 156 profile blocks third-party cookies too (DevTools names
        // the reason "UserPreferences"), whatever the server says.
        using var playwright = await Playwright.CreateAsync();
        var profile = Directory.CreateDirectory(Path.Combine(_folder, "profile-" + sameSite)).FullName;
        Directory.CreateDirectory(Path.Combine(profile, "Default"));
        File.WriteAllText(Path.Combine(profile, "Default", "Preferences"), """{"profile": {"cookie_controls_mode": 0, "block_third_party_cookies": false}}""");
        var context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = BrowserFixture.Chromium,
            Headless = true,
            Timeout = 60_000,
            Args = BrowserFixture.Arguments,
        });
        await using var owned = context;

        // Signed in on Tessera's own site, as the access service's window does.
        var login = await context.NewPageAsync();
        await login.GotoAsync(tessera + "/auth/login?returnUrl=%2Fauth%2Fme");
        await TestLogin.SignInAsync(login);
        try
        {
            await login.WaitForURLAsync("**/auth/me", new PageWaitForURLOptions { Timeout = 30_000 });
        }
        catch (TimeoutException)
        {
            Assert.Fail(login.Url + " " + await login.ContentAsync());
        }

        var session = Assert.Single(await context.CookiesAsync(), c => c.Name == AuthenticationSetup.CookieName);
        Assert.Equal(sameSite == "None" ? SameSiteAttribute.None : SameSiteAttribute.Lax, session.SameSite);
        Assert.Equal(sameSite == "None", session.Secure);

        async Task<JsonElement> TokenFrameAsync(string service, string messageId)
        {
            var page = await context.NewPageAsync();
            var src = $"{tessera}{service}?messageId={messageId}&origin={Uri.EscapeDataString(ViewerSite)}";
            await page.GotoAsync($"{ViewerSite}/frame?src={Uri.EscapeDataString(src)}");
            await page.WaitForFunctionAsync("() => window.frameLoaded === true", null, new PageWaitForFunctionOptions { Timeout = 30_000 });
            await page.WaitForFunctionAsync("() => window.received.length > 0", null, new PageWaitForFunctionOptions { Timeout = 10_000 });
            var received = await page.EvaluateAsync<JsonElement>("() => window.received");
            await page.CloseAsync();
            Assert.Equal(1, received.GetArrayLength());
            Assert.Equal(tessera, received[0].GetProperty("origin").GetString());
            return received[0].GetProperty("data");
        }

        var v1 = await TokenFrameAsync("/auth/v1/token", "m1");
        var v2 = await TokenFrameAsync("/auth/v2/token", "m2");
        if (expectToken)
        {
            Assert.True(v1.TryGetProperty("accessToken", out var token1) && token1.GetString()!.Length > 0, v1.ToString());
            Assert.Equal("AuthAccessToken2", v2.GetProperty("type").GetString());

            // The token serves the other site's requests (bound to its origin).
            using var client = server.Client();
            using var request = new HttpRequestMessage(HttpMethod.Get, "/auth/v2/probe/restricted%2Fphoto.jpg");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", v2.GetProperty("accessToken").GetString());
            request.Headers.Add("Origin", ViewerSite);
            using var probe = await client.SendAsync(request);
            Assert.Equal(200, JsonDocument.Parse(await probe.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetInt32());
        }
        else
        {
            Assert.Equal("missingCredentials", v1.GetProperty("error").GetString());
            Assert.Equal("missingAspect", v2.GetProperty("profile").GetString());
        }
    }
}
