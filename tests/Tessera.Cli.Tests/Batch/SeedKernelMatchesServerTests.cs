using Tessera.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Hosting;

namespace Tessera.Cli.Tests.Batch;

/// <summary>The design rule holds with any kernel: seeded with the server's kernel, tiles are the server's bytes.</summary>
public sealed class SeedKernelMatchesServerTests : IAsyncLifetime
{
    private readonly MasterFixtures _fixtures = new("tessera-cli-");
    private WebApplication? _app;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        _fixtures.Pyramid("pyramid.tif", 900);
        _fixtures.Photo("photo.jpg", 600);

        // PNG has no shrink-on-load: every reduced tile and size is resampled with the kernel.
        _fixtures.Photo("photo.png", 601, "pngsave");
        _app = TesseraServer.Build(new TesseraServerOptions { Root = _fixtures.Root, ResampleKernel = "linear", Cache = CacheMode.None }, ["http://127.0.0.1:0"]);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _client = new HttpClient { BaseAddress = new Uri(address) };
    }

    [Fact]
    public async Task Seeding_with_the_servers_non_default_kernel_writes_the_servers_bytes()
    {
        var (same, compared) = await SeedAndCompareAsync("linear", "static-linear");
        Assert.True(same == compared, $"only {same} of {compared} seeded files equal the server's answers");
    }

    [Fact]
    public async Task Seeding_with_another_kernel_writes_other_bytes_for_reduced_tiles()
    {
        // Without --kernel reaching the pipeline, this is what every seed would give: the reduced tiles differ.
        var (same, compared) = await SeedAndCompareAsync("lanczos3", "static-lanczos3");
        Assert.True(same < compared, $"all {compared} seeded files equal the server's, so the kernel made no difference");
    }

    [Fact]
    public async Task An_unknown_kernel_is_refused_with_the_house_message()
    {
        var (exit, _, error) = await CliRunner.RunAsync("seed", "--root", _fixtures.Root, "--out", _fixtures.Out("none"), "--kernel", "Lanczos3");
        Assert.Equal(2, exit);
        Assert.Contains("Expected nearest, linear, cubic, mitchell, lanczos2 or lanczos3 for --kernel but received \"Lanczos3\"", error, StringComparison.Ordinal);
    }

    private async Task<(int Same, int Compared)> SeedAndCompareAsync(string kernel, string folder)
    {
        var output = _fixtures.Out(folder);
        var (exit, _, error) = await CliRunner.RunAsync("seed", "--root", _fixtures.Root, "--out", output, "--kernel", kernel, "--jobs", "2", "pyramid.tif", "photo.jpg", "photo.png");
        Assert.True(exit == 0, error);

        var tiles = MasterFixtures.Files(output).Where(f => !f.EndsWith("info.json", StringComparison.Ordinal)).ToList();
        Assert.True(tiles.Count > 20, $"only {tiles.Count} files seeded");
        var same = 0;
        foreach (var file in tiles)
        {
            var slash = file.IndexOf('/', StringComparison.Ordinal);
            var url = $"/iiif/3/{Uri.EscapeDataString(file[..slash])}{file[slash..]}";
            using var response = await _client.GetAsync(url);
            Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode}");
            var served = await response.Content.ReadAsByteArrayAsync();
            same += served.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(output, file))) ? 1 : 0;
        }

        return (same, tiles.Count);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _fixtures.Dispose();
    }
}
