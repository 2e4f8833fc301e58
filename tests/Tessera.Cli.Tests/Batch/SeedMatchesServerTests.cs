using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Hosting;
using Tessera.Testing;

namespace Tessera.Cli.Tests.Batch;

/// <summary>The design rule: a seeded static tile is the same bytes the server returns for the same URL.</summary>
public sealed class SeedMatchesServerTests : IAsyncLifetime
{
    private readonly MasterFixtures _fixtures = new("tessera-cli-");
    private WebApplication? _app;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        _fixtures.Pyramid("pyramid.tif", 900);
        _fixtures.Photo("photo.jpg", 600);
        _app = TesseraServer.Build(new TesseraServerOptions { Root = _fixtures.Root }, ["http://127.0.0.1:0"]);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _client = new HttpClient { BaseAddress = new Uri(address) };
    }

    [Theory]
    [InlineData(3)]
    [InlineData(2)]
    public async Task Every_seeded_file_equals_the_servers_answer_for_its_url(int version)
    {
        var output = _fixtures.Out($"static-v{version}");
        var (exit, _, error) = await CliRunner.RunAsync("seed", "--root", _fixtures.Root, "--out", output, "--version", $"{version}", "--jobs", "2", "pyramid.tif", "photo.jpg");
        Assert.True(exit == 0, error);

        var tiles = MasterFixtures.Files(output).Where(f => !f.EndsWith("info.json", StringComparison.Ordinal)).ToList();
        Assert.True(tiles.Count > 20, $"only {tiles.Count} files seeded");
        foreach (var file in tiles)
        {
            var slash = file.IndexOf('/', StringComparison.Ordinal);
            var url = $"/iiif/{version}/{Uri.EscapeDataString(file[..slash])}{file[slash..]}";
            using var response = await _client.GetAsync(url);
            Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode}");
            var served = await response.Content.ReadAsByteArrayAsync();
            Assert.True(served.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(output, file))), $"{file} differs from {url}");
        }
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
