using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Hosting;
using Tessera.Vips;

namespace Tessera.Server.Tests.Access;

/// <summary>
/// Two real servers over one root: <see cref="Redacted"/> with a rule that blacks out two boxes of every image,
/// <see cref="Plain"/> without rules. The images are 2048×1536 bright gradients (no pixel near black): a JPEG-tiled
/// pyramidal TIFF (stored tiles, the JPEG tile path) and a plain JPEG (libvips, shrink-on-load).
/// </summary>
public sealed class RedactionFixture : IAsyncLifetime
{
    /// <summary>The pixel box of the rules, full resolution: pixels x 602..998, y 401..698 (edges deliberately off the 4-pixel grid).</summary>
    public static readonly (int X, int Y, int Width, int Height) Box = (602, 401, 397, 298);

    /// <summary>The percent box <c>pct:80,80,10,10</c>: x 1638..1843, y 1228..1382 once its edges are rounded outwards.</summary>
    public const string PercentBox = "pct:80,80,10,10";

    public const int Width = 2048;

    public const int Height = 1536;

    public const string Pyramid = "p.tif";

    public const string Jpeg = "j.jpg";

    private readonly List<WebApplication> _apps = [];

    public string Root { get; } = Directory.CreateTempSubdirectory("tessera-redact-").FullName;

    /// <summary>A disk cache folder for tests that start servers of their own (<see cref="StartAsync"/>).</summary>
    public string Cache => Root + "-cache";

    public string RulesFile => Root + "-rules.json";

    public HttpClient Redacted { get; private set; } = null!;

    public HttpClient Plain { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        // R = 120 + x/20, G = 120 + y/20, B = 150 + x/50: bright everywhere, smooth (JPEG keeps it within a few levels).
        using (var xy = VipsOperation.Image("xyz", ("width", Width), ("height", Height)))
        using (var x = xy.ExtractBand(0))
        using (var y = xy.ExtractBand(1))
        using (var joined = VipsOperation.Image("bandjoin", ("in", new[] { x, y, x })))
        using (var scaled = joined.Call("linear", ("a", new[] { 0.05, 0.05, 0.02 }), ("b", new[] { 120.0, 120.0, 150.0 })))
        using (var image = scaled.Cast(BandFormat.UChar))
        {
            image.SaveToFile("tiffsave", Path.Combine(Root, Pyramid), ("tile", true), ("tile_width", 256), ("tile_height", 256), ("pyramid", true), ("compression", "jpeg"), ("Q", 90));
            image.SaveToFile("jpegsave", Path.Combine(Root, Jpeg), ("Q", 95));
        }

        File.WriteAllText(RulesFile, $$"""
            {"rules": [
              {"match": "**", "access": "public", "redact": [[{{Box.X}}, {{Box.Y}}, {{Box.Width}}, {{Box.Height}}], "{{PercentBox}}"]}
            ]}
            """);
        var plain = await StartAsync(new TesseraServerOptions { Root = Root, Cache = CacheMode.Memory });
        var redacted = await StartAsync(new TesseraServerOptions { Root = Root, Cache = CacheMode.Memory, Access = RulesFile });
        _apps.AddRange([plain.App, redacted.App]);
        (Plain, Redacted) = (plain.Client, redacted.Client);
    }

    /// <summary>A server on the fixture's root; the caller disposes both (the fixture's own are kept to the end).</summary>
    public static async Task<(WebApplication App, HttpClient Client)> StartAsync(TesseraServerOptions options)
    {
        var app = TesseraServer.Build(options, ["http://127.0.0.1:0"]);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) });
    }

    public async ValueTask DisposeAsync()
    {
        Redacted?.Dispose();
        Plain?.Dispose();
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        foreach (var path in new[] { Root, Cache })
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }

        File.Delete(RulesFile);
    }
}
