using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using Tessera.Vips;

namespace Tessera.Server.Tests.Viewer;

/// <summary>
/// The viewer's IIIF Auth 2.0 client flow in a real headless chromium against a server with access rules: nothing is
/// drawn or tiled before a token; the access service window, the token through the hidden frame, the tiles with the
/// bearer token; logout; the degraded image at once and the full one after login; and tokens kept to their origin.
/// </summary>
public sealed class AuthBrowserTests(AuthViewerServerFixture server, BrowserFixture browser) : IClassFixture<BrowserFixture>, IClassFixture<AuthViewerServerFixture>
{
    private sealed record Seen(string Url, string? Authorization);

    private static string Escaped(string identifier) => Uri.EscapeDataString(identifier);

    private static async Task<(IBrowserContext Context, IPage Page, ConcurrentQueue<Seen> Requests, ConcurrentQueue<(string Url, int Status)> Responses)> OpenAsync(IBrowser browser, string url)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1000, Height = 700 } });
        var page = await context.NewPageAsync();
        var requests = new ConcurrentQueue<Seen>();
        var responses = new ConcurrentQueue<(string, int)>();
        // The context's events include the access and logout windows.
        context.Request += (_, r) => requests.Enqueue(new Seen(r.Url, r.Headers.TryGetValue("authorization", out var a) ? a : null));
        context.Response += (_, r) => responses.Enqueue((r.Url, r.Status));
        var response = await page.GotoAsync(url);
        Assert.Equal(200, response!.Status);
        return (context, page, requests, responses);
    }

    /// <summary>Image requests (tiles and sizes, not info.json) for an identifier.</summary>
    private static List<string> ImageRequests(IEnumerable<Seen> requests, string identifier) =>
        [.. requests.Select(r => r.Url).Where(u => u.Contains($"/iiif/3/{Escaped(identifier)}/", StringComparison.Ordinal) && !u.EndsWith("/info.json", StringComparison.Ordinal))];

    /// <summary>The scale factors (region width over output width) of the image responses for an identifier, with their statuses.</summary>
    private static List<(double Scale, int Status, string Url)> Scales(IEnumerable<(string Url, int Status)> responses, string identifier)
    {
        var prefix = $"/iiif/3/{Escaped(identifier)}/";
        var scales = new List<(double, int, string)>();
        foreach (var (url, status) in responses)
        {
            var at = url.IndexOf(prefix, StringComparison.Ordinal);
            var parts = at < 0 ? [] : url[(at + prefix.Length)..].Split('/');
            if (parts.Length == 4 && parts[1].Split(',') is { Length: 2 } size && size[0].Length > 0)
            {
                // A tile ("x,y,w,h") or the whole image ("full", the fixture's photos being Width wide).
                var regionWidth = parts[0] == "full" ? AuthViewerServerFixture.Width : parts[0].Split(',') is { Length: 4 } region ? double.Parse(region[2], CultureInfo.InvariantCulture) : double.NaN;
                scales.Add((regionWidth / double.Parse(size[0], CultureInfo.InvariantCulture), status, url));
            }
        }

        return scales;
    }

    private static async Task WaitForStatusAsync(IPage page, string status)
    {
        try
        {
            await page.WaitForFunctionAsync($"() => window.tesseraAuth && window.tesseraAuth.status() === '{status}'", null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        }
        catch (TimeoutException)
        {
            var seen = await page.EvaluateAsync<string>("() => window.tesseraAuth.status() + ': ' + document.getElementById('auth').innerText");
            Assert.Fail($"Expected the viewer to reach \"{status}\" but it is at {seen}");
        }
    }

    private const string Loaded = "() => !!window.tesseraViewer && window.tesseraViewer.world.getItemCount() > 0 && window.tesseraViewer.world.getItemAt(0).getFullyLoaded()";

    private static Task WaitForImageAsync(IPage page) => page.WaitForFunctionAsync(Loaded, null, new PageWaitForFunctionOptions { Timeout = 30_000 });

    /// <summary>Clicks <paramref name="selector"/>, which opens a window; runs <paramref name="inside"/> in it and waits until it has closed itself.</summary>
    private static async Task ThroughWindowAsync(IPage page, string selector, Func<IPage, Task> inside)
    {
        var window = await page.RunAndWaitForPopupAsync(() => page.ClickAsync(selector));
        var closed = new TaskCompletionSource();
        window.Close += (_, _) => closed.TrySetResult();
        if (window.IsClosed)
        {
            closed.TrySetResult();
        }

        await inside(window);
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static Task LogInAsync(IPage window) => TestLogin.SignInAsync(window);

    private static void AssertShowsAPicture(byte[] png, string name)
    {
        File.WriteAllBytes(Path.Combine(BrowserFixture.ScreenshotFolder, name), png);
        using var image = VipsImage.NewFromBuffer(png);
        var pixels = image.ToPixels();
        var colours = new HashSet<int>();
        for (var i = 0; i + 2 < pixels.Length; i += image.Bands)
        {
            colours.Add((pixels[i] >> 3 << 10) | (pixels[i + 1] >> 3 << 5) | (pixels[i + 2] >> 3));
        }

        Assert.True(colours.Count > 500, $"{name}: expected a photograph but saw {colours.Count} colours");
    }

    [Fact]
    public async Task A_login_image_shows_after_the_access_window_and_the_token_and_is_gone_after_logout()
    {
        var (context, page, requests, responses) = await OpenAsync(browser.Browser, server.BaseAddress + "view/" + Escaped(AuthViewerServerFixture.Restricted));
        await using var owned = context;

        await page.Locator("#login").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        Assert.Equal("denied", await page.EvaluateAsync<string>("() => window.tesseraAuth.status()"));
        Assert.Contains("Members only", await page.Locator("#auth").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Empty(ImageRequests(requests, AuthViewerServerFixture.Restricted)); // not one tile asked for without a token
        Assert.True(await page.EvaluateAsync<bool>("() => !window.tesseraViewer"));

        await ThroughWindowAsync(page, "#login", LogInAsync);
        Assert.Contains(requests, r => r.Url == server.BaseAddress + "auth/v2/access?origin=" + Uri.EscapeDataString(server.Origin));

        await WaitForStatusAsync(page, "open");
        await WaitForImageAsync(page);
        Assert.True(await page.EvaluateAsync<bool>("() => window.tesseraAuth.hasToken()"));
        Assert.Contains(requests, r => r.Url.Contains("/auth/v2/token?messageId=", StringComparison.Ordinal) && r.Url.Contains("&origin=" + Uri.EscapeDataString(server.Origin), StringComparison.Ordinal));
        var tiles = ImageRequests(requests, AuthViewerServerFixture.Restricted);
        Assert.NotEmpty(tiles);
        Assert.All(requests.Where(r => tiles.Contains(r.Url)), r => Assert.StartsWith("Bearer ", r.Authorization ?? "", StringComparison.Ordinal));
        Assert.All(Scales(responses, AuthViewerServerFixture.Restricted), s => Assert.True(s.Status == 200, $"{s.Url} answered {s.Status}"));
        Assert.True(await page.Locator("#auth").IsHiddenAsync());
        AssertShowsAPicture(await page.Locator("#viewer").ScreenshotAsync(), "auth-login-open.png");

        await ThroughWindowAsync(page, "#logout", _ => Task.CompletedTask);
        await WaitForStatusAsync(page, "denied");
        Assert.False(await page.EvaluateAsync<bool>("() => window.tesseraAuth.hasToken()"));
        Assert.True(await page.EvaluateAsync<bool>("() => !window.tesseraViewer"));
        Assert.Equal(0, await page.Locator("#viewer canvas").CountAsync());
        await page.Locator("#login").WaitForAsync();

        // The session is over too: with the browser's cookies, the info.json is 401 again.
        var status = await page.EvaluateAsync<int>($"() => fetch('{server.BaseAddress}iiif/3/{Escaped(AuthViewerServerFixture.Restricted)}/info.json', {{ credentials: 'include' }}).then(r => r.status)");
        Assert.Equal(401, status);
    }

    [Fact]
    public async Task A_degraded_image_shows_reduced_at_once_and_in_full_after_login()
    {
        var (context, page, requests, responses) = await OpenAsync(browser.Browser, server.BaseAddress + "view/" + Escaped(AuthViewerServerFixture.Museum));
        await using var owned = context;

        await WaitForStatusAsync(page, "degraded");
        await WaitForImageAsync(page);
        Assert.True(await page.Locator("#login").IsVisibleAsync());
        var reduced = Scales(responses, AuthViewerServerFixture.Museum);
        Assert.NotEmpty(reduced);
        Assert.All(reduced, s => Assert.True(s.Status == 200, $"{s.Url} answered {s.Status}"));
        Assert.True(reduced.Min(s => s.Scale) >= (double)AuthViewerServerFixture.Width / AuthViewerServerFixture.MaxSize, $"the public's tiles reach scale {reduced.Min(s => s.Scale)}");
        AssertShowsAPicture(await page.Locator("#viewer").ScreenshotAsync(), "auth-degraded.png");

        await ThroughWindowAsync(page, "#login", LogInAsync);
        await WaitForStatusAsync(page, "open");
        await WaitForImageAsync(page);
        Assert.True(await page.Locator("#auth").IsHiddenAsync());
        await page.EvaluateAsync("() => { const v = window.tesseraViewer; v.viewport.zoomTo(v.viewport.getMaxZoom(), null, true); }");
        for (var waited = 0; !Scales(responses, AuthViewerServerFixture.Museum).Any(s => s.Scale <= 1.001 && s.Status == 200); waited += 100)
        {
            Assert.True(waited < 30_000, "Timed out waiting for full-resolution tiles after login");
            await Task.Delay(100);
        }

        await WaitForImageAsync(page);
        Assert.All(Scales(responses, AuthViewerServerFixture.Museum), s => Assert.True(s.Status == 200, $"{s.Url} answered {s.Status} " + string.Join(" ", requests.Where(r => r.Url == s.Url).Select(r => r.Authorization))));
        AssertShowsAPicture(await page.Locator("#viewer").ScreenshotAsync(), "auth-degraded-full.png");
    }

    [Fact]
    public async Task A_page_of_another_origin_gets_no_token_for_the_viewers_origin_and_cannot_feed_the_viewer_one()
    {
        var context = await browser.Browser.NewContextAsync();
        await using var owned = context;
        var login = await context.NewPageAsync();
        await login.GotoAsync(server.BaseAddress + "auth/login?returnUrl=%2Fauth%2Fdone");
        await TestLogin.SignInAsync(login); // signed in: the token service would answer anyone who frames it

        var other = server.OtherAddress.GetLeftPart(UriPartial.Authority);
        async Task<JsonElement> FrameAsync(string claimedOrigin, string messageId)
        {
            var page = await context.NewPageAsync();
            var src = $"{server.BaseAddress}auth/v2/token?messageId={messageId}&origin={Uri.EscapeDataString(claimedOrigin)}";
            await page.GotoAsync($"{server.OtherAddress}frame?src={Uri.EscapeDataString(src)}");
            await page.WaitForFunctionAsync("() => window.frameLoaded === true", null, new PageWaitForFunctionOptions { Timeout = 30_000 });
            await Task.Delay(500);
            var received = await page.EvaluateAsync<JsonElement>("() => window.received");
            await page.CloseAsync();
            return received;
        }

        // Claiming the viewer's origin: the token page targets that origin, so the browser delivers nothing here.
        Assert.Equal(0, (await FrameAsync(server.Origin, "1")).GetArrayLength());

        // Its own origin: a token, but bound to it: the first server refuses it from the viewer's origin.
        var own = await FrameAsync(other, "2");
        Assert.Equal(1, own.GetArrayLength());
        Assert.Equal(server.Origin, own[0].GetProperty("origin").GetString());
        Assert.Equal("AuthAccessToken2", own[0].GetProperty("data").GetProperty("type").GetString());
        var token = own[0].GetProperty("data").GetProperty("accessToken").GetString();
        async Task<int> ProbeAsync(string origin)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "auth/v2/probe/" + Escaped(AuthViewerServerFixture.Restricted));
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            request.Headers.Add("Origin", origin);
            using var response = await server.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetInt32();
        }

        Assert.Equal(401, await ProbeAsync(server.Origin));
        Assert.Equal(200, await ProbeAsync(other));

        // The viewer takes a token only from the token service's origin: a frame of the other origin posting the awaited
        // messageId is ignored. The token service is held back so the viewer is still waiting.
        var viewer = await context.NewPageAsync();
        await viewer.RouteAsync("**/auth/v2/token?*", route => route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "text/html", Body = "<!doctype html><p>slow</p>" }));
        await viewer.GotoAsync(server.BaseAddress + "view/" + Escaped(AuthViewerServerFixture.Restricted));
        await viewer.Locator("#login").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        await ThroughWindowAsync(viewer, "#login", _ => Task.CompletedTask); // signed in already: the access window closes at once
        await WaitForStatusAsync(viewer, "token");
        var messageId = await viewer.EvaluateAsync<string>("() => window.tesseraAuth.messageId()");
        await viewer.EvaluateAsync($"() => {{ const f = document.createElement('iframe'); f.src = '{server.OtherAddress}forge?messageId={messageId}'; document.body.appendChild(f); return new Promise(r => f.onload = r); }}");
        await Task.Delay(500);
        Assert.False(await viewer.EvaluateAsync<bool>("() => window.tesseraAuth.hasToken()"));
        Assert.Equal("token", await viewer.EvaluateAsync<string>("() => window.tesseraAuth.status()"));
    }
}
