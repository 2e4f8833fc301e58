using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Tessera.Server.Tests.Legacy;

/// <summary>
/// The test's own Kestrel on a free loopback port serving the IIP test page (<c>Legacy/IipPage/iip.html</c>, what
/// IIPMooViewer 2.0 asks for) at <c>/iip.html</c>: a page on another origin than the IIP servers it is pointed at, as a
/// site's viewer page often is. Nothing of Tessera's own assets is used.
/// </summary>
public sealed class IipPageFixture : IAsyncLifetime
{
    private WebApplication? _app;

    /// <summary>The page's address, without its query.</summary>
    public Uri Page { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var html = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Legacy", "IipPage", "iip.html"));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapGet("/iip.html", () => Results.Content(html, "text/html; charset=utf-8"));
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Page = new Uri(new Uri(address), "/iip.html");
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
