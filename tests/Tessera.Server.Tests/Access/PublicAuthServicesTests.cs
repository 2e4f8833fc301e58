using System.Net;
using System.Text.Json.Nodes;
using Tessera.Server.Hosting;
using Tessera.Testing;

namespace Tessera.Server.Tests.Access;

/// <summary>
/// With <c>Rendering: authorised</c> and a way to sign in, a public image's info.json lists the Auth 2.0 probe service
/// with its access service, so a IIIF client that meets the 401 of an unlisted render finds the login; the probe answers
/// 200 (what info.json lists is everyone's). Without either, nothing is listed and the auth services do not exist.
/// </summary>
public sealed class PublicAuthServicesTests : IAsyncDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("tessera-public-auth-").FullName;
    private readonly List<IAsyncDisposable> _apps = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<HttpClient> StartAsync(string rendering)
    {
        if (!File.Exists(Path.Combine(_root, "photo.jpg")))
        {
            File.Copy(Samples.PathOf(Samples.Sunset), Path.Combine(_root, "photo.jpg"));
            File.WriteAllText(Path.Combine(_root, "..", Path.GetFileName(_root) + "-users.json"), """{"users": []}""");
        }

        var users = Path.Combine(_root, "..", Path.GetFileName(_root) + "-users.json");
        var (app, client) = await RedactionFixture.StartAsync(new TesseraServerOptions { Root = _root, Rendering = rendering, Users = users, Cache = CacheMode.Memory });
        _apps.Add(app);
        return client;
    }

    [Fact]
    public async Task A_public_image_lists_the_probe_and_access_services_when_only_signed_in_users_may_render()
    {
        using var client = await StartAsync("authorised");
        var info = JsonNode.Parse(await client.GetStringAsync("/iiif/3/photo.jpg/info.json", Ct))!;

        // Auth 2.0 §2.1: the auth context first, then the image context.
        Assert.Equal(["http://iiif.io/api/auth/2/context.json", "http://iiif.io/api/image/3/context.json"], info["@context"]!.AsArray().Select(c => c!.GetValue<string>()));
        var probe = Assert.Single(info["service"]!.AsArray())!;
        Assert.Equal("AuthProbeService2", probe["type"]!.GetValue<string>());
        Assert.Equal($"{client.BaseAddress}auth/v2/probe/photo.jpg", probe["id"]!.GetValue<string>());
        var access = probe["service"]![0]!;
        Assert.Equal(("AuthAccessService2", "active"), (access["type"]!.GetValue<string>(), access["profile"]!.GetValue<string>()));
        Assert.EndsWith("/auth/v2/access", access["id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(["AuthAccessTokenService2", "AuthLogoutService2"], access["service"]!.AsArray().Select(s => s!["type"]!.GetValue<string>()));

        // The probe: 200 for everyone, the listed tiles and sizes being everyone's.
        var result = JsonNode.Parse(await client.GetStringAsync(probe["id"]!.GetValue<string>(), Ct))!;
        Assert.Equal(("AuthProbeResult2", 200), (result["type"]!.GetValue<string>(), result["status"]!.GetValue<int>()));

        // The access service leads to the login page; an unlisted render still needs it.
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var noRedirect = new HttpClient(handler) { BaseAddress = client.BaseAddress };
        using var opened = await noRedirect.GetAsync(access["id"]!.GetValue<string>(), Ct);
        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        Assert.StartsWith("/auth/login?returnUrl=", opened.Headers.Location!.OriginalString, StringComparison.Ordinal);
        using var unlisted = await client.GetAsync("/iiif/3/photo.jpg/0,0,300,300/300,/0/default.jpg", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, unlisted.StatusCode);

        // 2.1: the same probe service; its single context stays.
        var info2 = JsonNode.Parse(await client.GetStringAsync("/iiif/2/photo.jpg/info.json", Ct))!;
        Assert.Equal("http://iiif.io/api/image/2/context.json", info2["@context"]!.GetValue<string>());
        Assert.Equal("AuthProbeService2", info2["service"]![0]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_rendering_kept_for_signed_in_users_a_public_image_lists_no_auth_services()
    {
        using var client = await StartAsync("anyone");
        var info = JsonNode.Parse(await client.GetStringAsync("/iiif/3/photo.jpg/info.json", Ct))!;
        Assert.Equal("http://iiif.io/api/image/3/context.json", info["@context"]!.GetValue<string>());
        Assert.Null(info["service"]);
        using var probe = await client.GetAsync("/auth/v2/probe/photo.jpg", Ct);
        Assert.Equal(HttpStatusCode.NotFound, probe.StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        Directory.Delete(_root, recursive: true);
        File.Delete(Path.Combine(_root, "..", Path.GetFileName(_root) + "-users.json"));
    }
}
