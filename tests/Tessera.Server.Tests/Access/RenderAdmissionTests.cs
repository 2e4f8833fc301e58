using System.Net;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Hosting;
using Tessera.Testing;

namespace Tessera.Server.Tests.Access;

/// <summary>
/// Who may render (<c>Rendering: authorised</c>) and the per-client render rate, through a real server. A request
/// header stands in for a signed-in user here (a test-only middleware sets <see cref="HttpContext.User"/>, which is all
/// the rule reads); the sign-in itself is tested with the login.
/// </summary>
public sealed class RenderAdmissionTests : IAsyncDisposable
{
    private const string UserHeader = "X-Test-User";
    private readonly string _root = Directory.CreateTempSubdirectory("tessera-admission-").FullName;
    private WebApplication? _app;

    private async Task<HttpClient> StartAsync(TesseraServerOptions options)
    {
        File.Copy(Samples.PathOf(Samples.Sunset), Path.Combine(_root, "photo.jpg"));
        _app = TesseraServer.Build(options with { Root = _root }, ["http://127.0.0.1:0"], builder => builder.Services.AddTransient<IStartupFilter, TestUsers>());
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new HttpClient { BaseAddress = new Uri(address) };
    }

    [Fact]
    public async Task With_rendering_for_the_authorised_the_public_gets_what_info_json_lists_and_nothing_else_new()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = await StartAsync(new TesseraServerOptions { Rendering = "authorised", Cache = CacheMode.Memory });
        var info = JsonNode.Parse(await client.GetStringAsync("/iiif/3/photo.jpg/info.json", ct))!;
        var tile = info["tiles"]![0]!;
        int tw = (int)tile["width"]!, th = (int)(tile["height"] ?? tile["width"])!;
        var size = info["sizes"]![0]!;

        string[] listed =
        [
            $"/iiif/3/photo.jpg/0,0,{tw},{th}/{tw},{th}/0/default.jpg",
            $"/iiif/3/photo.jpg/full/{(int)size["width"]!},{(int)size["height"]!}/0/default.jpg",
            "/deepzoom/photo.jpg_files/8/0_0.jpg",
        ];
        foreach (var path in listed)
        {
            using var response = await client.GetAsync(path, ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        }

        string[] unlisted = ["/iiif/3/photo.jpg/0,0,300,300/300,/0/default.jpg", $"/iiif/3/photo.jpg/0,0,{tw},{th}/{tw},{th}/90/default.jpg", "/iiif/3/photo.jpg/full/max/0/gray.png"];
        foreach (var path in unlisted)
        {
            using var refused = await client.GetAsync(path, ct);
            var body = await refused.Content.ReadAsStringAsync(ct);
            Assert.True(refused.StatusCode == HttpStatusCode.Unauthorized, $"{path}: {(int)refused.StatusCode} {body}");
            Assert.Contains("signed-in users", body, StringComparison.Ordinal);
            Assert.True(refused.Headers.CacheControl?.NoStore);

            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add(UserHeader, "curator");
            using var signedIn = await client.SendAsync(request, ct);
            Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);

            // Rendered for the curator, now cached: what is cached costs no render, so the public gets it too.
            using var cached = await client.GetAsync(path, ct);
            Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
        }
    }

    [Fact]
    public async Task A_client_over_its_render_rate_gets_429_with_retry_after_while_cached_images_and_others_are_served()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = await StartAsync(new TesseraServerOptions { RenderRateLimit = 6, RenderRateBurst = 2, Cache = CacheMode.Memory });

        using (var first = await client.GetAsync("/iiif/3/photo.jpg/0,0,300,300/300,/0/default.jpg", ct))
        using (var second = await client.GetAsync("/iiif/3/photo.jpg/300,0,300,300/300,/0/default.jpg", ct))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        }

        using var third = await client.GetAsync("/iiif/3/photo.jpg/600,0,300,300/300,/0/default.jpg", ct);
        var body = await third.Content.ReadAsStringAsync(ct);
        Assert.True(third.StatusCode == HttpStatusCode.TooManyRequests, $"{(int)third.StatusCode} {body}");
        Assert.Contains("RenderRateLimit", body, StringComparison.Ordinal);
        Assert.True(third.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"{third.Headers.RetryAfter}");
        Assert.True(third.Headers.CacheControl?.NoStore);

        // A cached image is no new render; another client (a signed-in user is counted by name) has its own budget.
        using var again = await client.GetAsync("/iiif/3/photo.jpg/0,0,300,300/300,/0/default.jpg", ct);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/iiif/3/photo.jpg/600,0,300,300/300,/0/default.jpg");
        request.Headers.Add(UserHeader, "curator");
        using var other = await client.SendAsync(request, ct);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public void Bad_settings_are_refused_with_their_names()
    {
        var errors = new TesseraServerOptions { Root = _root, Rendering = "everyone", RenderRateLimit = -1, RenderRateBurst = 0 }.Validate();

        Assert.Contains(errors, e => e.Contains("Rendering", StringComparison.Ordinal) && e.Contains("everyone", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("RenderRateLimit", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("RenderRateBurst", StringComparison.Ordinal));
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        Directory.Delete(_root, recursive: true);
    }

    /// <summary>Test only: a request naming a user in <see cref="UserHeader"/> is that signed-in user.</summary>
    private sealed class TestUsers : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, following) =>
            {
                if (context.Request.Headers[UserHeader].ToString() is { Length: > 0 } name)
                {
                    context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], "Test"));
                }

                return following(context);
            });
            next(app);
        };
    }
}
