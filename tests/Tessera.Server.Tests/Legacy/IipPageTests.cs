using System.Collections.Concurrent;
using Microsoft.Playwright;
using Tessera.Core.Tiles;
using Tessera.Server.Tests.Fixtures;
using Tessera.Server.Tests.Viewer;
using Tessera.Vips;

namespace Tessera.Server.Tests.Legacy;

/// <summary>
/// An IIPMooViewer page in a real headless chromium (IIPMooViewer is on neither npm nor Debian: the page
/// <c>IipPage/iip.html</c> asks what IIPMooViewer 2.0 asks, in its order, and draws the tiles it gets on a canvas),
/// pointed at Tessera and, unchanged but for its server address, at Debian's iipsrv on the same file.
/// </summary>
public sealed class IipPageTests(ServerFixture server, IipsrvFixture iipsrv, BrowserFixture browser, IipPageFixture site)
    : IClassFixture<IipsrvFixture>, IClassFixture<BrowserFixture>, IClassFixture<IipPageFixture>
{
    private sealed record Answer(string Url, int Status, string? Type);

    /// <summary>What the page drew (RGB), at which resolution, and the answers to its tile and navigation requests.</summary>
    private sealed record PageRun(VipsImage Canvas, int Resolution, IReadOnlyList<Answer> Tiles, Answer? Navigation, IReadOnlyList<string> Failed) : IDisposable
    {
        public void Dispose() => Canvas.Dispose();
    }

    [Theory]
    [InlineData(1024, 768, 600, 400)] // IIPMooViewer picks the largest resolution smaller than the viewer: 3×2 tiles
    [InlineData(1300, 900, 1200, 800)] // the full image: 5×4 tiles, the right and bottom ones cut
    public async Task The_page_draws_every_tile_tessera_sends_as_the_iiif_full_image(int width, int height, int drawnWidth, int drawnHeight)
    {
        using var run = await OpenAsync(new Uri(server.BaseAddress, IipsrvFixture.Path), width, height);

        var geometry = new IipGeometry(1200, 800);
        var (columns, rows) = geometry.TileCount(run.Resolution);
        Assert.Empty(run.Failed);
        Assert.Equal(columns * rows, run.Tiles.Count);
        Assert.All(run.Tiles, t => Assert.Equal((200, "image/jpeg"), (t.Status, t.Type)));
        Assert.Equal((200, "image/jpeg"), (run.Navigation?.Status, run.Navigation?.Type));
        Assert.Equal((drawnWidth, drawnHeight), (run.Canvas.Width, run.Canvas.Height));
        using var expected = await server.GetImageAsync($"/iiif/3/{TestImages.Pyramid}/full/{drawnWidth},{drawnHeight}/0/default.png");
        var difference = MeanDifference(run.Canvas, expected);
        TestContext.Current.TestOutputHelper?.WriteLine($"{run.Tiles.Count} tiles of resolution {run.Resolution}; mean difference from the IIIF full image {difference:F3}");
        Assert.InRange(difference, 0, 2);
    }

    [Theory]
    [InlineData(1024, 768)]
    [InlineData(1300, 900)]
    public async Task The_same_page_pointed_at_iipsrv_draws_the_same_picture(int width, int height)
    {
        var iipsrvClient = iipsrv.Client(server.Root);

        using var theirs = await OpenAsync(new Uri(iipsrvClient.BaseAddress!, IipsrvFixture.Path), width, height);
        using var ours = await OpenAsync(new Uri(server.BaseAddress, IipsrvFixture.Path), width, height);

        Assert.Empty(theirs.Failed);
        Assert.All(theirs.Tiles, t => Assert.Equal((200, "image/jpeg"), (t.Status, t.Type)));
        Assert.Equal(theirs.Resolution, ours.Resolution);
        Assert.Equal(theirs.Tiles.Count, ours.Tiles.Count);
        Assert.Equal(Queries(theirs.Tiles), Queries(ours.Tiles));
        Assert.Equal((theirs.Canvas.Width, theirs.Canvas.Height), (ours.Canvas.Width, ours.Canvas.Height));
        var difference = MeanDifference(ours.Canvas, theirs.Canvas);
        TestContext.Current.TestOutputHelper?.WriteLine($"{ours.Tiles.Count} tiles each; mean difference Tessera against iipsrv {difference:F3}");
        Assert.InRange(difference, 0, 2.5);
    }

    private async Task<PageRun> OpenAsync(Uri endpoint, int width, int height)
    {
        var page = await browser.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width + 40, Height = height + 400 }, DeviceScaleFactor = 1 });
        try
        {
            var answers = new ConcurrentQueue<Answer>();
            page.Response += (_, r) => answers.Enqueue(new Answer(r.Url, r.Status, r.Headers.GetValueOrDefault("content-type")));
            var url = $"{site.Page}?server={Uri.EscapeDataString(endpoint.ToString())}&image={TestImages.Pyramid}&width={width}&height={height}";
            var response = await page.GotoAsync(url);
            Assert.Equal(200, response!.Status);
            await page.WaitForFunctionAsync("() => window.iip.done && document.getElementById('navigation').complete", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
            Assert.Null(await page.EvaluateAsync<string?>("() => window.iip.error"));

            var resolution = await page.EvaluateAsync<int>("() => window.iip.resolution");
            var failed = await page.EvaluateAsync<string[]>("() => window.iip.failed");
            // The canvas drew cross-origin <img> tiles, as IIPMooViewer shows them: its pixels are read from the screen.
            var png = await page.Locator("#canvas").ScreenshotAsync(new LocatorScreenshotOptions { Type = ScreenshotType.Png, Animations = ScreenshotAnimations.Disabled });
            File.WriteAllBytes(Path.Combine(BrowserFixture.ScreenshotFolder, $"iip-{endpoint.Port}-{width}x{height}.png"), png);
            using var drawn = VipsImage.NewFromBuffer(png);
            var canvas = drawn.Call("extract_band", ("band", 0), ("n", 3));

            var tiles = answers.Where(a => a.Url.Contains("JTL=", StringComparison.Ordinal)).ToList();
            var navigation = answers.FirstOrDefault(a => a.Url.Contains("CVT=jpeg", StringComparison.Ordinal));
            return new PageRun(canvas, resolution, tiles, navigation, failed);
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    /// <summary>The IIP queries of tile answers, whatever server they went to, in order.</summary>
    private static List<string> Queries(IEnumerable<Answer> answers) => [.. answers.Select(a => new Uri(a.Url).Query).Order(StringComparer.Ordinal)];

    /// <summary>The mean absolute difference per channel of two 8-bit images of one size (0: identical, 255: opposite).</summary>
    private static double MeanDifference(VipsImage actual, VipsImage expected)
    {
        using var difference = VipsOperation.Image("subtract", ("left", actual), ("right", expected));
        using var absolute = difference.Call("abs");
        return absolute.Average();
    }
}
