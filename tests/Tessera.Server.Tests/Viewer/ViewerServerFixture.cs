using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Hosting;
using Tessera.Testing;
using Tessera.Vips;

[assembly: AssemblyFixture(typeof(Tessera.Server.Tests.Viewer.ViewerServerFixture))]

namespace Tessera.Server.Tests.Viewer;

/// <summary>
/// A server over an archive-like root, made by the fixture itself: a folder object (<c>book/</c>, pages named so that
/// natural and ordinal order differ), a lone photograph large enough to deep-zoom, a tiled pyramidal TIFF, a nested
/// folder object, and a file that is not an image.
/// </summary>
public sealed class ViewerServerFixture : IAsyncLifetime
{
    public const string Photo = "harbour.jpg";
    public const string Pyramid = "map.tif";
    public static readonly string[] Pages = ["book/page-1.jpg", "book/page-2.jpg", "book/page-10.jpg"];
    public const string Nested = "letters/1850/letter.jpg";

    private WebApplication? _app;

    public string Root { get; } = Directory.CreateTempSubdirectory("tessera-viewer-").FullName;

    public Uri BaseAddress { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var samples = Samples.Folder;
        using (var big = VipsOperation.Image("thumbnail", ("filename", Path.Combine(samples, "Kleiber_by_Lukas_Baubkus.jpg")), ("width", 3000)))
        using (var photo = big.CopyMemory())
        {
            photo.SaveToFile("jpegsave", Path.Combine(Root, Photo), ("Q", 85));
            photo.SaveToFile("tiffsave", Path.Combine(Root, Pyramid), ("tile", true), ("tile_width", 256), ("tile_height", 256), ("pyramid", true), ("compression", "jpeg"), ("Q", 85));
        }

        Directory.CreateDirectory(Path.Combine(Root, "book"));
        Directory.CreateDirectory(Path.Combine(Root, "letters", "1850"));
        string[] sources = ["Dragonfly_by_Bolly.jpg", "Wine_by_Jakkub_Mede.jpg", "seeding_by_Clements_Engelhardt.jpg"];
        for (var i = 0; i < Pages.Length; i++)
        {
            using var page = VipsOperation.Image("thumbnail", ("filename", Path.Combine(samples, sources[i])), ("width", 600 + (i * 100)));
            page.SaveToFile("jpegsave", Path.Combine(Root, Pages[i]));
        }

        using (var letter = VipsOperation.Image("thumbnail", ("filename", Path.Combine(samples, "sunset_by_Aitzol_Berasategi.jpg")), ("width", 500)))
        {
            letter.SaveToFile("jpegsave", Path.Combine(Root, Nested));
        }

        File.WriteAllText(Path.Combine(Root, "broken.jpg"), "not a JPEG\n");

        _app = TesseraServer.Build(new TesseraServerOptions { Root = Root }, ["http://127.0.0.1:0"]);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        Directory.Delete(Root, recursive: true);
    }
}
