using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Hosting;
using Tessera.Vips;

[assembly: AssemblyFixture(typeof(Tessera.Server.Tests.Access.AccessServerFixture))]

namespace Tessera.Server.Tests.Access;

/// <summary>
/// A real Kestrel server with access rules over a small root: one folder per rule kind, each holding a flat grey
/// 1200×800 JPEG (so a watermark is the only detail in it), authenticated by <see cref="TestAuthHandler"/>.
/// </summary>
public sealed class AccessServerFixture : IAsyncLifetime
{
    private WebApplication? _app;

    public const string Rules = """
        {
          // Comments are allowed.
          "adminRole": "admin",
          "rules": [
            {"match": "mixed/hid*.jpg", "access": "hidden"},
            {"match": "restricted/*", "access": "login"},
            {"match": "staff/**", "access": "login", "roles": ["staff"]},
            {"match": "museum/*", "access": "degraded", "maxSize": 120, "watermark": {"text": "© Museum", "position": "centre", "opacity": 1, "size": 0.8}},
            {"match": "plain/*", "access": "degraded", "maxSize": 300},
            {"match": "stamped/*", "access": "degraded", "maxSize": 120, "watermark": {"image": "@MARK@", "position": "top-left", "opacity": 1, "size": 0.5}},
            {"match": "secret/*", "access": "hidden"}
          ]
        }
        """;

    public static readonly string[] Images = ["open/a.jpg", "restricted/r.jpg", "staff/s.jpg", "museum/m.jpg", "plain/p.jpg", "secret/h.jpg", "mixed/pub.jpg", "mixed/hid.jpg", "stamped/st.jpg"];

    public string Root { get; } = Directory.CreateTempSubdirectory("tessera-access-").FullName;

    public string RulesFile => Path.Combine(Root, "..", Path.GetFileName(Root) + "-rules.json");

    /// <summary>The image watermark: red, opaque on its left half, transparent on its right (outside the root).</summary>
    public string MarkFile => Path.Combine(Root, "..", Path.GetFileName(Root) + "-mark.png");

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The server's origin, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Origin => BaseAddress.GetLeftPart(UriPartial.Authority);

    public HttpClient Client { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        foreach (var identifier in Images)
        {
            var path = Path.Combine(Root, identifier);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var black = VipsOperation.Image("black", ("width", 1200), ("height", 800), ("bands", 3));
            using var grey = black.Call("linear", ("a", new[] { 1.0 }), ("b", new[] { 128.0 }));
            using var uchar = grey.Cast(BandFormat.UChar);
            uchar.SaveToFile("jpegsave", path, ("Q", 95));
        }

        using (var red = VipsOperation.Image("black", ("width", 200), ("height", 100), ("bands", 3)))
        using (var colour = red.Call("linear", ("a", new[] { 1.0, 1.0, 1.0 }), ("b", new[] { 255.0, 0.0, 0.0 })))
        using (var rgb = colour.Cast(BandFormat.UChar))
        using (var alpha = VipsOperation.Image("black", ("width", 100), ("height", 100)))
        using (var opaque = alpha.Call("linear", ("a", new[] { 1.0 }), ("b", new[] { 255.0 })))
        using (var half = opaque.Call("embed", ("x", 0), ("y", 0), ("width", 200), ("height", 100)))
        using (var halfAlpha = half.Cast(BandFormat.UChar))
        using (var rgba = VipsOperation.Image("bandjoin", ("in", new[] { rgb, halfAlpha })))
        {
            rgba.SaveToFile("pngsave", MarkFile);
        }

        File.WriteAllText(RulesFile, Rules.Replace("@MARK@", System.Text.Json.JsonEncodedText.Encode(Path.GetFullPath(MarkFile)).ToString(), StringComparison.Ordinal));
        var options = new TesseraServerOptions { Root = Root, Access = RulesFile, Cache = CacheMode.Memory };
        _app = TesseraServer.Build(options, ["http://127.0.0.1:0"], builder =>
            builder.Services.AddAuthentication(TestAuthHandler.SchemeName).AddScheme<AuthenticationSchemeOptions, TestAuthHandler>(TestAuthHandler.SchemeName, null));
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>A GET as <paramref name="user"/> (<c>name:role,role</c>; null: anonymous), with optional bearer token and Origin.</summary>
    public async Task<HttpResponseMessage> GetAsync(string path, string? user = null, string? token = null, string? origin = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (user is not null)
        {
            request.Headers.Add(TestAuthHandler.Header, user);
        }

        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return await Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        Directory.Delete(Root, recursive: true);
        File.Delete(RulesFile);
        File.Delete(MarkFile);
    }
}
