using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Hosting;
using Tessera.Testing;

namespace Tessera.Server.Tests.Fixtures;

/// <summary>
/// A real Kestrel server of its own over the multi-page and newer-format sources of <see cref="PageFiles"/> (and their
/// hostile and truncated copies), at <see cref="Dpi"/> so PDF sizes are round: a 200×300 pt page is 200×300 px.
/// </summary>
public sealed class PagesServerFixture : IAsyncLifetime
{
    private WebApplication? _app;

    /// <summary>PDF pages are rendered at 72 dpi here: one pixel a point.</summary>
    public const double Dpi = 72;

    public string Root { get; } = Directory.CreateTempSubdirectory("tessera-pages-").FullName;

    public HttpClient Client { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Tessera.Imaging.ImagingRuntime.Start();
        PageFiles.Pdf(Root, "report.pdf", 3, sizes: new Dictionary<int, (double, double)> { [2] = (400, 250) });
        PageFiles.Pdf(Root, "thousands.pdf", 10_000, 100, 100);
        PageFiles.HugePagePdf(Root);
        PageFiles.Truncated(PageFiles.Pdf(Root, "whole.pdf", 4), "cut.pdf", 0.4);
        PageFiles.MultiPageTiff(Root, "scans.tif", 3);
        PageFiles.MultiImageHeif(Root, "burst.heic", 3);
        PageFiles.Truncated(PageFiles.MultiImageHeif(Root, "burst-whole.heic", 2), "cut.heic", 0.5);
        PageFiles.Jxl(Root);
        PageFiles.Truncated(Path.Combine(Root, "photo.jxl"), "cut.jxl", 0.5);
        PageFiles.Truncated(Path.Combine(Root, "whole.pdf"), "cut-late.pdf", 0.9);
        PageFiles.Truncated(Path.Combine(Root, "photo.jxl"), "cut-late.jxl", 0.95);
        PageFiles.Truncated(Path.Combine(Root, "burst-whole.heic"), "cut-late.heic", 0.95);
        PageFiles.JxlBomb(Root);
        PageFiles.GenericSlide(Root);
        PageFiles.AperioSlide(Root);
        PageFiles.AperioSlide(Root, "damaged.svs", damagedLabel: true);
        _app = TesseraServer.Build(new TesseraServerOptions { Root = Root, PdfDpi = Dpi, Cache = CacheMode.Memory }, ["http://127.0.0.1:0"]);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(120) };
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
