using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Tessera.Server.Tests.Viewer;

namespace Tessera.Server.Tests.Access;

/// <summary>
/// The Auth 2.0 client flow in a real chromium: a page from another origin opens the token service in a hidden frame,
/// receives the token by postMessage, and fetches a protected info.json and image with it; a page of a third origin
/// neither receives that token nor can use it; logout revokes it. The client pages come from two small servers of their
/// own on loopback (same site as the server, other ports: other origins), so the session cookie reaches the frame as it
/// does for a viewer on the institution's own domain.
/// </summary>
public sealed class AuthBrowserTests(AccessServerFixture server, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private const string ClientScript = """
        <!doctype html><html><body><script>
        window.getToken = (tokenService, messageId, origin) => new Promise(resolve => {
          const listener = event => {
            if (event.data && event.data.messageId === messageId) {
              window.removeEventListener('message', listener);
              resolve({ data: event.data, from: event.origin });
            }
          };
          window.addEventListener('message', listener);
          const frame = document.createElement('iframe');
          frame.style.display = 'none';
          frame.src = tokenService + '?messageId=' + encodeURIComponent(messageId) + '&origin=' + encodeURIComponent(origin || window.location.origin);
          document.body.appendChild(frame);
          setTimeout(() => resolve(null), 3000);
        });
        window.fetchStatus = async (url, token) => (await fetch(url, token ? { headers: { Authorization: 'Bearer ' + token } } : {})).status;
        </script></body></html>
        """;

    private readonly List<WebApplication> _clients = [];

    private string ClientA { get; set; } = null!;

    private string ClientB { get; set; } = null!;

    /// <summary>Two client sites, each a real server on loopback serving only the client page.</summary>
    public async ValueTask InitializeAsync()
    {
        ClientA = await StartClientAsync();
        ClientB = await StartClientAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _clients)
        {
            await app.DisposeAsync();
        }
    }

    private async Task<string> StartClientAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/client.html", () => Results.Content(ClientScript, "text/html"));
        await app.StartAsync();
        _clients.Add(app);
        return new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).GetLeftPart(UriPartial.Authority);
    }

    private static async Task<IPage> ClientAsync(IBrowserContext context, string origin)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(origin + "/client.html");
        return page;
    }

    [Fact]
    public async Task A_page_of_another_origin_gets_a_token_by_postMessage_and_opens_the_protected_image_until_logout()
    {
        await using var context = await browser.Browser.NewContextAsync();
        await context.AddCookiesAsync([new Cookie { Name = TestAuthHandler.Cookie, Value = "alice", Domain = "127.0.0.1", Path = "/" }]);
        var a = await ClientAsync(context, ClientA);
        var info = $"{server.Origin}/iiif/3/{Uri.EscapeDataString("restricted/r.jpg")}/info.json";
        var image = $"{server.Origin}/iiif/3/{Uri.EscapeDataString("restricted/r.jpg")}/full/100,/0/default.jpg";
        var tokenService = $"{server.Origin}/auth/v2/token";

        Assert.Equal(401, await a.EvaluateAsync<int>("([u]) => window.fetchStatus(u)", new object[] { info }));

        var received = await a.EvaluateAsync<JsonElement>("([s]) => window.getToken(s, 'msg-1')", new object[] { tokenService });
        Assert.Equal(JsonValueKind.Object, received.ValueKind);
        Assert.Equal(server.Origin, received.GetProperty("from").GetString());
        var data = received.GetProperty("data");
        Assert.Equal("AuthAccessToken2", data.GetProperty("type").GetString());
        var token = data.GetProperty("accessToken").GetString()!;

        Assert.Equal(200, await a.EvaluateAsync<int>("([u, t]) => window.fetchStatus(u, t)", new object[] { info, token }));
        Assert.Equal(200, await a.EvaluateAsync<int>("([u, t]) => window.fetchStatus(u, t)", new object[] { image, token }));

        // Origin B asks for a token to be posted to A: B's frame posts it to A's origin, so B never hears it.
        var b = await ClientAsync(context, ClientB);
        var overheard = await b.EvaluateAsync<JsonElement>("([s, o]) => window.getToken(s, 'msg-2', o)", new object[] { tokenService, ClientA });
        Assert.Equal(JsonValueKind.Null, overheard.ValueKind);

        // A's token, handed to B, is refused there.
        Assert.Equal(401, await b.EvaluateAsync<int>("([u, t]) => window.fetchStatus(u, t)", new object[] { info, token }));

        // Logout (opened from A, with the session cookie) revokes it.
        await a.EvaluateAsync("([u]) => fetch(u, { mode: 'no-cors', credentials: 'include' })", new object[] { $"{server.Origin}/auth/v2/logout" });
        Assert.Equal(401, await a.EvaluateAsync<int>("([u, t]) => window.fetchStatus(u, t)", new object[] { info, token }));
    }

    [Fact]
    public async Task Without_a_session_the_frame_posts_the_missingAspect_error()
    {
        await using var context = await browser.Browser.NewContextAsync();
        var a = await ClientAsync(context, ClientA);
        var received = await a.EvaluateAsync<JsonElement>("([s]) => window.getToken(s, 'msg-3')", new object[] { $"{server.Origin}/auth/v2/token" });
        Assert.Equal("AuthAccessTokenError2", received.GetProperty("data").GetProperty("type").GetString());
        Assert.Equal("missingAspect", received.GetProperty("data").GetProperty("profile").GetString());
    }
}
