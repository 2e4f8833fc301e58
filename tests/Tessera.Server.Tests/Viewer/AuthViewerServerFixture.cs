using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Server.Hosting;
using Tessera.Testing;
using Tessera.Vips;

namespace Tessera.Server.Tests.Viewer;

/// <summary>
/// A server with access rules (one image <c>login</c>, one <c>degraded</c> to <see cref="MaxSize"/> px, one public) and a
/// Tessera's login page with one reader (<see cref="TestLogin"/>), and beside it a second Kestrel on another port: another origin, whose pages
/// try to get tokens from the first server's token service.
/// </summary>
public sealed class AuthViewerServerFixture : IAsyncLifetime
{
    public const string Restricted = "restricted/photo.jpg";
    public const string Museum = "museum/photo.jpg";
    public const string Open = "open.jpg";
    public const int MaxSize = 300;
    public const int Width = 1600;

    private WebApplication? _app;
    private WebApplication? _other;
    private string? _rules;

    public string Root { get; } = Directory.CreateTempSubdirectory("tessera-viewer-auth-").FullName;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The origin of the first server, <c>http://127.0.0.1:port</c>, as a browser names it.</summary>
    public string Origin => BaseAddress.GetLeftPart(UriPartial.Authority);

    public Uri OtherAddress { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(Root, "restricted"));
        Directory.CreateDirectory(Path.Combine(Root, "museum"));
        using (var photo = VipsOperation.Image("thumbnail", ("filename", Path.Combine(Samples.Folder, "Kleiber_by_Lukas_Baubkus.jpg")), ("width", Width)))
        using (var copy = photo.CopyMemory())
        {
            foreach (var name in new[] { Restricted, Museum, Open })
            {
                copy.SaveToFile("jpegsave", Path.Combine(Root, name), ("Q", 85));
            }
        }

        var rules = _rules = Root + "-access.json";
        File.WriteAllText(rules, $$"""
            {"rules": [
              {"match": "restricted/*", "access": "login", "heading": "Members only", "note": "Log in to see the restricted photograph."},
              {"match": "museum/*", "access": "degraded", "maxSize": {{MaxSize}}}
            ]}
            """);

        var users = TestLogin.WriteUsers(Root + "-users.json");
        _app = TesseraServer.Build(new TesseraServerOptions { Root = Root, Access = rules, Users = users }, ["http://127.0.0.1:0"]);
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

        _other = OtherOrigin();
        await _other.StartAsync();
        OtherAddress = new Uri(_other.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    /// <summary>
    /// Another origin's pages: <c>/frame?src=URL</c> frames a URL and records every message it posts (origin and data) in
    /// <c>window.received</c>; <c>/forge?messageId=N</c> posts a made-up token with that messageId to whoever frames it.
    /// </summary>
    private static WebApplication OtherOrigin()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/frame", (HttpContext context) => Results.Content(
            "<!doctype html><html><head><title>Other origin</title></head><body><script>\n" +
            "window.received = [];\n" +
            "window.addEventListener('message', function (e) { window.received.push({ origin: e.origin, data: e.data }); });\n" +
            "var f = document.createElement('iframe'); f.src = " + System.Text.Json.JsonSerializer.Serialize(context.Request.Query["src"].ToString()) + ";\n" +
            "f.onload = function () { window.frameLoaded = true; }; document.body.appendChild(f);\n" +
            "</script></body></html>",
            "text/html; charset=utf-8"));
        app.MapGet("/forge", (HttpContext context) => Results.Content(
            "<!doctype html><html><body><script>\n" +
            "window.parent.postMessage({ '@context': 'http://iiif.io/api/auth/2/context.json', type: 'AuthAccessToken2', accessToken: 'forged', expiresIn: 3600, messageId: " +
            System.Text.Json.JsonSerializer.Serialize(context.Request.Query["messageId"].ToString()) + " }, '*');\n" +
            "</script></body></html>",
            "text/html; charset=utf-8"));
        return app;
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        if (_other is not null)
        {
            await _other.DisposeAsync();
        }

        Directory.Delete(Root, recursive: true);
        if (_rules is not null)
        {
            File.Delete(_rules);
            File.Delete(Root + "-users.json");
        }
    }
}
