using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Tessera.Server.Tests.Viewer;

namespace Tessera.Server.Tests.Operations;

/// <summary>
/// The admin page in Debian's chromium: without the token nothing but the shell and a token form, and
/// <c>/admin/status</c> refuses; with it, the numbers of the requests made just before, and a purge by prefix from the
/// page that really empties the caches of the identifiers under it.
/// </summary>
public sealed class AdminPageTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Without_the_token_the_status_is_refused_and_the_page_shows_no_data()
    {
        await using var server = await OperationsServer.StartAsync();
        await GetAsync(server, "/iiif/3/missing.jpg/info.json", HttpStatusCode.NotFound);

        using var anonymous = await server.Client.GetAsync("/admin/status", TestContext.Current.CancellationToken);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/admin/status") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "not-the-token-0123456789") } };
        using var wrongResponse = await server.Client.SendAsync(wrong, TestContext.Current.CancellationToken);
        using var purge = await server.Client.DeleteAsync("/admin/cache?prefix=box/", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, purge.StatusCode);

        var page = await browser.Browser.NewPageAsync();
        var response = await page.GotoAsync(new Uri(server.BaseAddress, "/admin").ToString());
        Assert.Equal(200, response!.Status);
        await page.Locator("#token").WaitForAsync();
        Assert.True(await page.Locator("#data").IsHiddenAsync());
        Assert.DoesNotContain("missing.jpg", await page.ContentAsync(), StringComparison.Ordinal);

        // A wrong token: refused, and still nothing shown.
        await page.FillAsync("#token", "not-the-token-0123456789");
        await page.ClickAsync("#login-form button");
        await Assertions.Expect(page.Locator("#login-message")).ToContainTextAsync("refused");
        Assert.True(await page.Locator("#data").IsHiddenAsync());
        Assert.Equal(0, await page.Locator("#failing tbody tr").CountAsync());
        await page.CloseAsync();
    }

    [Fact]
    public async Task With_the_token_the_page_shows_the_requests_just_made_and_purges_by_prefix()
    {
        await using var server = await OperationsServer.StartAsync();
        await GetAsync(server, "/iiif/3/photo.jpg/full/120,/0/default.jpg", HttpStatusCode.OK);
        await GetAsync(server, "/iiif/3/photo.jpg/full/120,/0/default.jpg", HttpStatusCode.OK);
        await GetAsync(server, "/iiif/3/photo.jpg/full/120,/0/default.jpg", HttpStatusCode.OK);
        await GetAsync(server, "/iiif/3/missing.jpg/info.json", HttpStatusCode.NotFound);
        await GetAsync(server, "/iiif/3/missing.jpg/full/max/0/default.jpg", HttpStatusCode.NotFound);
        await GetAsync(server, "/iiif/3/box%2Fa.jpg/full/64,/0/default.jpg", HttpStatusCode.OK);
        await GetAsync(server, "/iiif/3/box%2Fb.jpg/full/64,/0/default.jpg", HttpStatusCode.OK);

        var page = await browser.Browser.NewPageAsync();
        await page.GotoAsync(new Uri(server.BaseAddress, "/admin").ToString());
        await page.FillAsync("#token", OperationsServer.AdminToken);
        await page.ClickAsync("#login-form button");
        await page.Locator("#data").WaitForAsync();

        // photo.jpg: rendered once, then two memory hits; box/a and box/b rendered once each. Three memory misses (one per
        // render) and as many disk misses; the 404s never reached the caches.
        var memory = page.Locator("#caches tr[data-tier=memory]");
        await Assertions.Expect(memory.Locator("[data-field=hits]")).ToHaveTextAsync("2");
        await Assertions.Expect(memory.Locator("[data-field=misses]")).ToHaveTextAsync("3");
        await Assertions.Expect(memory.Locator("[data-field=entries]")).ToHaveTextAsync("3");
        await Assertions.Expect(memory.Locator("[data-field=hit-rate]")).ToHaveTextAsync("40.0 %");
        await Assertions.Expect(page.Locator("#caches tr[data-tier=disk] [data-field=misses]")).ToHaveTextAsync("3");
        await Assertions.Expect(page.Locator("#renders tr[data-field=finished] td.n")).ToHaveTextAsync("3");

        var failing = page.Locator("#failing tr[data-identifier='missing.jpg']");
        await Assertions.Expect(failing.Locator("[data-field=failures]")).ToHaveTextAsync("2");
        await Assertions.Expect(failing.Locator("[data-field=status]")).ToHaveTextAsync("404");
        await Assertions.Expect(page.Locator("#slowest tr[data-identifier='photo.jpg'] [data-field=requests]")).ToHaveTextAsync("3");
        await Assertions.Expect(page.Locator("#slowest tr[data-identifier='box/a.jpg']")).ToHaveCountAsync(1);
        Assert.Equal(0, await page.Locator("#failing tr[data-identifier='photo.jpg']").CountAsync());

        // Secrets are never shown; other settings are, as in force.
        await Assertions.Expect(page.Locator("#settings tr[data-setting=AdminToken] td").Nth(1)).ToHaveTextAsync("(set)");
        await Assertions.Expect(page.Locator("#settings tr[data-setting=Root] td").Nth(1)).ToHaveTextAsync(server.Root);
        Assert.DoesNotContain(OperationsServer.AdminToken, await page.ContentAsync(), StringComparison.Ordinal);

        // The numbers are the server's: the page and /admin/status agree.
        var status = await StatusAsync(server);
        Assert.Equal(2, status["caches"]![0]!["hits"]!.GetValue<long>());

        // Purge everything under box/ from the page: both identifiers, and their next requests are rendered again.
        await page.CheckAsync("input[name=kind][value=prefix]");
        await page.FillAsync("#purge-value", "box/");
        await page.ClickAsync("#purge-form button");
        await Assertions.Expect(page.Locator("#purge-result")).ToContainTextAsync("of 2 identifiers under \"box/\"");
        await Assertions.Expect(memory.Locator("[data-field=entries]")).ToHaveTextAsync("1");
        Assert.Equal("rendered", await OriginAsync(server, "/iiif/3/box%2Fa.jpg/full/64,/0/default.jpg"));
        Assert.Equal("cache", await OriginAsync(server, "/iiif/3/photo.jpg/full/120,/0/default.jpg"));

        // Forgetting the token hides the data again.
        await page.ClickAsync("#logout");
        Assert.True(await page.Locator("#data").IsHiddenAsync());
        Assert.Null(await page.EvaluateAsync<string?>("sessionStorage.getItem('tessera-admin-token')"));
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_purge_without_identifier_or_prefix_is_refused()
    {
        await using var server = await OperationsServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/admin/cache") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", OperationsServer.AdminToken) } };

        using var response = await server.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static async Task<JsonNode> StatusAsync(OperationsServer server)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/status") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", OperationsServer.AdminToken) } };
        using var response = await server.Client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
    }

    private static async Task GetAsync(OperationsServer server, string path, HttpStatusCode status)
    {
        using var response = await server.Client.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == status, $"{path}: {(int)response.StatusCode}");
    }

    private static async Task<string?> OriginAsync(OperationsServer server, string path)
    {
        using var response = await server.Client.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.TryGetValues("X-Tessera-Origin", out var values) ? values.Single() : null;
    }
}
