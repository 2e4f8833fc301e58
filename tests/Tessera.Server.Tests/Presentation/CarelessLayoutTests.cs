using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Server.Hosting;
using Tessera.Server.Http;
using Tessera.Server.Tests.Fixtures;
using Tessera.Testing;
using Tessera.Vips;

namespace Tessera.Server.Tests.Presentation;

/// <summary>
/// A server of its own over a root laid out carelessly: two links to <c>.</c>, a link to <c>..</c>, a loop of links
/// inside an object's folder, a folder link out of the root and a tree deeper than <see cref="MaxDepth"/>. The home page,
/// the Collection and the folder's Manifest answer at once, list only what is inside, and say they are truncated.
/// (Its own root, so these links change no other test's listing.)
/// </summary>
public sealed class CarelessLayoutTests : IAsyncLifetime
{
    private const int MaxDepth = 3;

    private readonly string _root = Directory.CreateTempSubdirectory("tessera-careless-").FullName;
    private readonly string _outside = Directory.CreateTempSubdirectory("tessera-careless-outside-").FullName;
    private readonly CapturedLogs _logs = new();
    private WebApplication? _app;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        using (var thumbnail = VipsOperation.Image("thumbnail", ("filename", Samples.PathOf(Samples.Sunset)), ("width", 64)))
        using (var small = thumbnail.CopyMemory())
        {
            foreach (var name in new[] { "book/page-1.jpg", "book/page-2.jpg", "lone.jpg", "deep/1/2/3/4/too-deep.jpg" })
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(_root, name))!);
                small.SaveToFile("jpegsave", Path.Combine(_root, name));
            }

            small.SaveToFile("jpegsave", Path.Combine(_outside, "outside-secret.jpg"));
        }

        File.CreateSymbolicLink(Path.Combine(_root, "a"), ".");
        File.CreateSymbolicLink(Path.Combine(_root, "b"), ".");
        File.CreateSymbolicLink(Path.Combine(_root, "book", "up"), "..");
        File.CreateSymbolicLink(Path.Combine(_root, "book", "loop1"), "loop2");
        File.CreateSymbolicLink(Path.Combine(_root, "book", "loop2"), "loop1");
        File.CreateSymbolicLink(Path.Combine(_root, "dir_out"), _outside);

        _app = TesseraServer.Build(
            new TesseraServerOptions { Root = _root, Cache = CacheMode.None, ListingMaxDepth = MaxDepth },
            ["http://127.0.0.1:0"],
            builder => builder.Logging.AddProvider(_logs).AddFilter<CapturedLogs>("Tessera", LogLevel.Debug));
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(20) };
    }

    private async Task<(HttpResponseMessage Response, string Body)> GetQuicklyAsync(string path)
    {
        var clock = Stopwatch.StartNew();
        var response = await _client.GetAsync(path, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"{path} took {clock.Elapsed}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return (response, body);
    }

    [Fact]
    public async Task The_home_page_lists_what_is_inside_once_and_says_it_is_truncated()
    {
        var (response, html) = await GetQuicklyAsync("/");
        using (response)
        {
            Assert.Contains("view/book%2Fpage-1.jpg", html, StringComparison.Ordinal);
            Assert.Contains("view/lone.jpg", html, StringComparison.Ordinal);
            Assert.DoesNotContain("outside-secret", html, StringComparison.Ordinal);
            Assert.DoesNotContain("view/a%2F", html, StringComparison.Ordinal);
            Assert.DoesNotContain("too-deep", html, StringComparison.Ordinal);
            Assert.Contains("ListingMaxDepth", html, StringComparison.Ordinal);
            Assert.Contains("ListingMaxDepth", Assert.Single(response.Headers.GetValues(ListingReport.TruncatedHeader)), StringComparison.Ordinal);
        }

        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("book/loop1: a loop of symbolic links", StringComparison.Ordinal));
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("dir_out: a link out of the root", StringComparison.Ordinal));

        // The same report is not logged again on the next page view.
        (await GetQuicklyAsync("/")).Response.Dispose();
        Assert.Single(_logs.Entries, e => e.Message.StartsWith("Listing for / left out", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_collection_lists_each_object_once_and_nothing_from_outside()
    {
        var (response, body) = await GetQuicklyAsync("/iiif/presentation/collection.json");
        using (response)
        {
            var ids = JsonNode.Parse(body)!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()[$"{_client.BaseAddress}iiif/presentation/".Length..]);
            Assert.Equal(["book/manifest.json", "lone.jpg/manifest.json"], ids);
            Assert.True(response.Headers.Contains(ListingReport.TruncatedHeader));
        }
    }

    [Fact]
    public async Task A_folder_with_a_loop_of_links_still_has_its_manifest()
    {
        var (response, body) = await GetQuicklyAsync("/iiif/presentation/book/manifest.json");
        using (response)
        {
            Assert.Equal(2, JsonNode.Parse(body)!["items"]!.AsArray().Count);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        Directory.Delete(_root, recursive: true);
        Directory.Delete(_outside, recursive: true);
    }
}
