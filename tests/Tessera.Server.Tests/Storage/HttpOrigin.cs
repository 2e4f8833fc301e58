using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace Tessera.Server.Tests.Storage;

/// <summary>
/// A small HTTP origin for the remote-source tests: real Kestrel on 127.0.0.1 serving a folder under <c>/images/</c>
/// with ASP.NET's static files (HEAD, ETag, Last-Modified, <c>Range</c>), counting every request it is asked (and how
/// many ranged GETs overlap, each held for <see cref="RangeDelay"/>), and made
/// to fail on demand: <see cref="OriginMode.Down"/> drops each connection, <see cref="OriginMode.Stalling"/> answers
/// nothing until the client gives up.
/// </summary>
public sealed class HttpOrigin : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Method, string Path, string? Range)> _requests = new();
    private int _rangesInFlight;
    private int _maxRangesInFlight;

    private HttpOrigin(WebApplication app, string folder)
    {
        _app = app;
        Folder = folder;
    }

    /// <summary>The folder served.</summary>
    public string Folder { get; }

    /// <summary>The base URL identifiers are appended to (<c>http://127.0.0.1:port/images/</c>).</summary>
    public Uri Images { get; private set; } = null!;

    /// <summary>How the origin behaves now.</summary>
    public OriginMode Mode { get; set; }

    /// <summary>Every request so far: method, path, Range header.</summary>
    public IReadOnlyList<(string Method, string Path, string? Range)> Requests => [.. _requests];

    public void ClearRequests()
    {
        _requests.Clear();
        Interlocked.Exchange(ref _maxRangesInFlight, 0);
    }

    /// <summary>How long each ranged GET waits before it is answered (a distant store), so overlapping GETs show.</summary>
    public TimeSpan RangeDelay { get; set; }

    /// <summary>The most ranged GETs being answered at once since the last <see cref="ClearRequests"/>.</summary>
    public int MaxRangesInFlight => Volatile.Read(ref _maxRangesInFlight);

    public static async Task<HttpOrigin> StartAsync(string folder)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var origin = new HttpOrigin(app, folder);
        app.Use(async (context, next) =>
        {
            origin._requests.Enqueue((context.Request.Method, Uri.UnescapeDataString(context.Request.Path.Value ?? ""), context.Request.Headers.Range.ToString() is { Length: > 0 } r ? r : null));
            switch (origin.Mode)
            {
                case OriginMode.Down:
                    context.Abort();
                    return;
                case OriginMode.Stalling:
                    await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                    return;
                default:
                    if (!HttpMethods.IsGet(context.Request.Method) || context.Request.Headers.Range.Count == 0)
                    {
                        await next(context);
                        return;
                    }

                    var inFlight = Interlocked.Increment(ref origin._rangesInFlight);
                    try
                    {
                        for (var max = Volatile.Read(ref origin._maxRangesInFlight); inFlight > max; max = Volatile.Read(ref origin._maxRangesInFlight))
                        {
                            Interlocked.CompareExchange(ref origin._maxRangesInFlight, inFlight, max);
                        }

                        await Task.Delay(origin.RangeDelay, context.RequestAborted);
                        await next(context);
                    }
                    finally
                    {
                        Interlocked.Decrement(ref origin._rangesInFlight);
                    }

                    return;
            }
        });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(folder), RequestPath = "/images", ServeUnknownFileTypes = true });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        origin.Images = new Uri(address.TrimEnd('/') + "/images/");
        return origin;
    }

    public async ValueTask DisposeAsync()
    {
        Mode = OriginMode.Normal;
        await _app.DisposeAsync();
    }
}

/// <summary>How <see cref="HttpOrigin"/> answers.</summary>
public enum OriginMode
{
    /// <summary>As a web server does.</summary>
    Normal,

    /// <summary>Each connection dropped without an answer (a network failure: 502).</summary>
    Down,

    /// <summary>No answer until the client goes away (504 after the remote timeout).</summary>
    Stalling,
}
