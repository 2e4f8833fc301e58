using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Playwright;
using Tessera.Vips;

namespace Tessera.Server.Tests.Viewer;

/// <summary>The viewer pages in a real headless chromium: tiles arrive, the photo is drawn, zooming asks for more detail.</summary>
public sealed class BrowserTests(ViewerServerFixture server, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private sealed record Traffic(ConcurrentQueue<(string Url, int Status)> Responses, ConcurrentQueue<string> Foreign, ConcurrentQueue<string> Failed);

    private async Task<(IPage Page, Traffic Traffic)> OpenAsync(string path)
    {
        var page = await browser.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 800 } });
        var traffic = new Traffic(new(), new(), new());
        var origin = server.BaseAddress.ToString();
        page.Response += (_, r) => traffic.Responses.Enqueue((r.Url, r.Status));
        page.RequestFailed += (_, r) => traffic.Failed.Enqueue(r.Url);
        page.Request += (_, r) =>
        {
            if (!r.Url.StartsWith(origin, StringComparison.Ordinal) && !r.Url.StartsWith("data:", StringComparison.Ordinal) && !r.Url.StartsWith("blob:", StringComparison.Ordinal))
            {
                traffic.Foreign.Enqueue(r.Url);
            }
        };
        var response = await page.GotoAsync(origin + path.TrimStart('/'));
        Assert.Equal(200, response!.Status);
        return (page, traffic);
    }

    /// <summary>The scale factors (region width over output width) of the tiles of an image requested so far.</summary>
    private static List<double> TileScales(Traffic traffic, string identifier)
    {
        var prefix = $"/iiif/3/{Uri.EscapeDataString(identifier)}/";
        var scales = new List<double>();
        foreach (var (url, _) in traffic.Responses)
        {
            var at = url.IndexOf(prefix, StringComparison.Ordinal);
            var parts = at < 0 ? [] : url[(at + prefix.Length)..].Split('/');
            if (parts.Length == 4 && parts[0].Split(',') is { Length: 4 } region && parts[1].Split(',') is { Length: 2 } size && size[0].Length > 0)
            {
                scales.Add(double.Parse(region[2], CultureInfo.InvariantCulture) / double.Parse(size[0], CultureInfo.InvariantCulture));
            }
        }

        return scales;
    }

    /// <summary>Decodes a screenshot and checks it shows a picture: many distinct colours and real contrast, not a blank or flat area.</summary>
    private static void AssertShowsAPicture(byte[] png, string name)
    {
        File.WriteAllBytes(Path.Combine(BrowserFixture.ScreenshotFolder, name), png);
        using var image = VipsImage.NewFromBuffer(png);
        var pixels = image.ToPixels();
        var bands = image.Bands;
        var colours = new HashSet<int>();
        double sum = 0, squares = 0;
        var count = 0;
        for (var i = 0; i + 2 < pixels.Length; i += bands)
        {
            colours.Add((pixels[i] >> 3 << 10) | (pixels[i + 1] >> 3 << 5) | (pixels[i + 2] >> 3));
            var luma = (0.299 * pixels[i]) + (0.587 * pixels[i + 1]) + (0.114 * pixels[i + 2]);
            sum += luma;
            squares += luma * luma;
            count++;
        }

        var mean = sum / count;
        var deviation = Math.Sqrt((squares / count) - (mean * mean));
        Assert.True(colours.Count > 500 && deviation > 15, $"{name}: expected a photograph but saw {colours.Count} colours, luma deviation {deviation:F1}");
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what, int seconds = 30)
    {
        for (var waited = 0; !condition(); waited += 100)
        {
            Assert.True(waited < seconds * 1000, $"Timed out waiting until {what}");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task The_deep_zoom_viewer_draws_the_photo_from_tiles_and_zooming_asks_for_finer_tiles()
    {
        var (page, traffic) = await OpenAsync("/view/" + ViewerServerFixture.Photo);
        const string loaded = "() => !!window.tesseraViewer && window.tesseraViewer.world.getItemCount() > 0 && window.tesseraViewer.world.getItemAt(0).getFullyLoaded()";
        await page.WaitForFunctionAsync(loaded, null, new PageWaitForFunctionOptions { Timeout = 30_000 });

        var before = TileScales(traffic, ViewerServerFixture.Photo);
        Assert.NotEmpty(before);
        AssertShowsAPicture(await page.Locator("#viewer").ScreenshotAsync(), "openseadragon-home.png");

        await page.EvaluateAsync("() => { const v = window.tesseraViewer; v.viewport.zoomTo(v.viewport.getMaxZoom(), null, true); }");
        await WaitUntilAsync(() => TileScales(traffic, ViewerServerFixture.Photo).Min() < before.Min(), "tiles of a higher resolution are requested");
        await page.WaitForFunctionAsync(loaded, null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        AssertShowsAPicture(await page.Locator("#viewer").ScreenshotAsync(), "openseadragon-zoomed.png");

        var after = TileScales(traffic, ViewerServerFixture.Photo);
        Assert.Equal(1.0, after.Min(), 3); // full resolution reached
        var tiles = traffic.Responses.Where(r => r.Url.Contains("/iiif/3/", StringComparison.Ordinal)).ToList();
        Assert.All(tiles, t => Assert.True(t.Status == 200, $"{t.Url} answered {t.Status}"));
        Assert.Empty(traffic.Foreign);
        Assert.Empty(traffic.Failed);
        await page.CloseAsync();
    }

    [Fact]
    public async Task Mirador_opens_an_objects_manifest_and_shows_its_first_canvas()
    {
        var (page, traffic) = await OpenAsync("/mirador/book");

        await WaitUntilAsync(() => traffic.Responses.Any(r => r.Url.EndsWith("/iiif/presentation/book/manifest.json", StringComparison.Ordinal) && r.Status == 200), "the manifest is loaded");
        await WaitUntilAsync(() => TileScales(traffic, ViewerServerFixture.Pages[0]).Count > 0 || traffic.Responses.Any(r => r.Url.Contains("book%2Fpage-1.jpg/full/", StringComparison.Ordinal)), "the first canvas's image is requested");
        await page.Locator(".openseadragon-canvas canvas").First.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle, new PageWaitForLoadStateOptions { Timeout = 30_000 });
        await page.GetByText("book", new PageGetByTextOptions { Exact = true }).First.WaitForAsync();

        AssertShowsAPicture(await page.Locator(".openseadragon-canvas").First.ScreenshotAsync(), "mirador-canvas.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "mirador-page.png") });
        var images = traffic.Responses.Where(r => r.Url.Contains("/iiif/", StringComparison.Ordinal)).ToList();
        Assert.All(images, t => Assert.True(t.Status == 200, $"{t.Url} answered {t.Status}"));
        Assert.Empty(traffic.Foreign);
        await page.CloseAsync();
    }

    [Fact]
    public async Task The_home_page_filters_by_name_as_one_types()
    {
        var (page, traffic) = await OpenAsync("/");
        var cards = page.Locator(".card:visible");
        var all = await cards.CountAsync();

        await page.FillAsync("#search", "page-1");

        Assert.Equal(2, await cards.CountAsync()); // book/page-1.jpg and book/page-10.jpg
        Assert.True(all > 2);
        await page.FillAsync("#search", "");
        Assert.Equal(all, await cards.CountAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "home.png") });
        Assert.Empty(traffic.Foreign);
        await page.CloseAsync();
    }
}
