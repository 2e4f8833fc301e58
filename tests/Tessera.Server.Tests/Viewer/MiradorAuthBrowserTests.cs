using System.Collections.Concurrent;
using Microsoft.Playwright;
using Tessera.Vips;

namespace Tessera.Server.Tests.Viewer;

/// <summary>
/// Mirador (the bundled 3.4.3) through the IIIF Auth 1.0 cookie flow against Tessera's services, in a real headless
/// chromium: the login notice for a <c>login</c> image, the login window with Tessera's real login page, the token from
/// the hidden frame, the info.json asked again with <c>Authorization: Bearer</c>, tiles drawn; logout takes it away.
/// </summary>
public sealed class MiradorAuthBrowserTests(AuthViewerServerFixture server, BrowserFixture browser) : IClassFixture<BrowserFixture>, IClassFixture<AuthViewerServerFixture>
{
    private sealed record Seen(string Url, string? Authorization);

    private static readonly string Info = $"/iiif/3/{Uri.EscapeDataString(AuthViewerServerFixture.Restricted)}/info.json";

    private static readonly string Images = $"/iiif/3/{Uri.EscapeDataString(AuthViewerServerFixture.Restricted)}/";

    [Fact]
    public async Task Mirador_logs_in_through_the_auth_1_login_service_then_draws_the_login_image_and_loses_it_on_logout()
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 800 } });
        await using var owned = context;
        var page = await context.NewPageAsync();
        var requests = new ConcurrentQueue<Seen>();
        var responses = new ConcurrentQueue<(string Url, int Status, string? Authorization)>();
        var console = new ConcurrentQueue<string>();
        context.Request += (_, r) => requests.Enqueue(new Seen(r.Url, r.Headers.TryGetValue("authorization", out var a) ? a : null));
        context.Response += (_, r) => responses.Enqueue((r.Url, r.Status, r.Request.Headers.TryGetValue("authorization", out var a) ? a : null));
        page.Console += (_, m) => console.Enqueue($"{m.Type}: {m.Text}");
        page.PageError += (_, e) => console.Enqueue("pageerror: " + e);
        string Diagnostics() =>
            "\nrequests:\n" + string.Join("\n", responses.Select(r => $"{r.Status} {r.Url} {(r.Authorization is null ? "" : "(bearer)")}")) +
            "\nconsole:\n" + string.Join("\n", console);

        async Task WaitUntilAsync(Func<bool> condition, string what)
        {
            for (var waited = 0; !condition(); waited += 100)
            {
                Assert.True(waited < 30_000, $"Timed out waiting until {what}{Diagnostics()}");
                await Task.Delay(100);
            }
        }

        var opened = await page.GotoAsync(server.BaseAddress + "mirador/restricted");
        Assert.Equal(200, opened!.Status);

        // Anonymous: info.json 401 with the services, Mirador's notice, not one pixel of the image.
        await WaitUntilAsync(() => responses.Any(r => r.Url.EndsWith(Info, StringComparison.Ordinal) && r.Status == 401), "the anonymous info.json is refused");
        var notice = page.GetByText("Continue");
        await notice.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        Assert.DoesNotContain(responses, r => r.Url.Contains(Images, StringComparison.Ordinal) && !r.Url.EndsWith("/info.json", StringComparison.Ordinal) && r.Status == 200);

        await notice.ClickAsync();
        await page.GetByText("Members only").First.WaitForAsync();
        var window = await page.RunAndWaitForPopupAsync(() => page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Log in", Exact = true }).ClickAsync());
        var closed = new TaskCompletionSource();
        window.Close += (_, _) => closed.TrySetResult();
        Assert.Contains(requests, r => r.Url == server.BaseAddress + "auth/v1/login?origin=" + server.Origin);
        await window.WaitForURLAsync("**/auth/login?*");
        await TestLogin.SignInAsync(window);
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // The token from the hidden frame, then info.json again with it, then tiles.
        await WaitUntilAsync(() => requests.Any(r => r.Url.StartsWith(server.BaseAddress + "auth/v1/token?origin=", StringComparison.Ordinal)), "Mirador loads the token service");
        await WaitUntilAsync(() => responses.Any(r => r.Url.EndsWith(Info, StringComparison.Ordinal) && r.Status == 200 && r.Authorization?.StartsWith("Bearer ", StringComparison.Ordinal) == true), "info.json is asked again with the token and answered");
        await WaitUntilAsync(() => responses.Any(r => r.Url.Contains(Images, StringComparison.Ordinal) && !r.Url.EndsWith("/info.json", StringComparison.Ordinal) && r.Status == 200), "tiles of the image are answered");
        await page.Locator(".openseadragon-canvas canvas").First.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle, new PageWaitForLoadStateOptions { Timeout = 30_000 });
        // Every image request after the info.json with the token is answered (before it, all were refused: 401).
        var tiles = responses.SkipWhile(r => !(r.Url.EndsWith(Info, StringComparison.Ordinal) && r.Authorization is not null))
            .Where(r => r.Url.Contains(Images, StringComparison.Ordinal) && !r.Url.EndsWith("/info.json", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(tiles);
        Assert.All(tiles, t => Assert.True(t.Status == 200, $"{t.Url} answered {t.Status}{Diagnostics()}"));
        AssertShowsAPicture(await page.Locator(".openseadragon-canvas").First.ScreenshotAsync(), "mirador-auth-open.png");

        // Logout: the logout window, and Mirador asks for info.json again (after its 2 s delay) and is refused.
        var beforeLogout = responses.Count;
        var logout = await page.RunAndWaitForPopupAsync(() => page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Log out", Exact = true }).ClickAsync());
        Assert.Contains(requests, r => r.Url.StartsWith(server.BaseAddress + "auth/v1/logout", StringComparison.Ordinal));
        await WaitUntilAsync(() => responses.Skip(beforeLogout).Any(r => r.Url.EndsWith(Info, StringComparison.Ordinal) && r.Status == 401), "info.json is refused again after logout");
        await page.GetByText("Continue").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        var status = await page.EvaluateAsync<int>($"() => fetch('{server.BaseAddress.ToString().TrimEnd('/')}{Info}', {{ credentials: 'include' }}).then(r => r.status)");
        Assert.Equal(401, status);
    }

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
}
