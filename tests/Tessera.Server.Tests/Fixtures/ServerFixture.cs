using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Server.Hosting;
using Tessera.Vips;

[assembly: AssemblyFixture(typeof(Tessera.Server.Tests.Fixtures.ServerFixture))]

namespace Tessera.Server.Tests.Fixtures;

/// <summary>One real Kestrel server on a free loopback port, serving <see cref="TestImages"/>, for the whole test run.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private WebApplication? _app;

    public string Root { get; } = Directory.CreateTempSubdirectory("tessera-root-").FullName;

    public string Outside { get; } = Directory.CreateTempSubdirectory("tessera-outside-").FullName;

    public string CacheDirectory { get; } = Directory.CreateTempSubdirectory("tessera-cache-").FullName;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>What the server logged.</summary>
    public CapturedLogs Logs { get; } = new();

    public HttpClient Client { get; private set; } = null!;

    public const string AdminToken = "test-admin-token-0123456789";

    public async ValueTask InitializeAsync()
    {
        TestImages.Create(Root, Outside);
        _app = TesseraServer.Build(new TesseraServerOptions { Root = Root, MaxWidth = 5000, MaxHeight = 5000, MaxArea = 10_000_000, CacheDirectory = CacheDirectory, AdminToken = AdminToken }, ["http://127.0.0.1:0"], builder => builder.Logging.AddProvider(Logs).AddFilter<CapturedLogs>("Tessera", LogLevel.Debug));
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>GETs a path and decodes the image it returns.</summary>
    public async Task<VipsImage> GetImageAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)}");
        return VipsImage.NewFromBuffer(body);
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        Directory.Delete(Root, recursive: true);
        Directory.Delete(Outside, recursive: true);
        Directory.Delete(CacheDirectory, recursive: true);
    }
}
