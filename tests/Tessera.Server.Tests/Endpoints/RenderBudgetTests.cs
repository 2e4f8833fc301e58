using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Imaging.Pipeline;
using Tessera.Server.Hosting;
using Tessera.Vips;

namespace Tessera.Server.Tests.Endpoints;

/// <summary>
/// The render budget through HTTP, on a server of its own: a 10000² PNG (every full-size render decodes 100 Mpx, a few
/// seconds of a core) with a 1-second budget and no room to wait in the expensive lane. Ordering, not absolute times.
/// </summary>
[Collection(nameof(RenderBudgetTests))]
public sealed class RenderBudgetTests(RenderBudgetTests.BudgetServer server) : IClassFixture<RenderBudgetTests.BudgetServer>
{
    [Fact]
    public async Task A_render_past_its_budget_is_a_503_with_retry_after_and_the_server_renders_on()
    {
        var ct = TestContext.Current.CancellationToken;

        using var response = await server.Client.GetAsync("/iiif/3/bomb.png/full/max/0/default.jpg", ct);
        var body = await response.Content.ReadAsStringAsync(ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("RenderTimeoutSeconds", body, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Null(response.Headers.ETag);
        using var next = await server.Client.GetAsync("/iiif/3/bomb.png/0,0,256,256/max/0/default.jpg", ct);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task An_expensive_render_with_no_room_to_wait_is_a_503_with_retry_after_while_cheap_ones_are_served()
    {
        var ct = TestContext.Current.CancellationToken;
        var pipeline = server.Pipeline;
        var running = server.Client.GetAsync("/iiif/3/bomb.png/full/1000,/0/default.jpg", ct);
        while (pipeline.RenderThreads.RunningExpensive == 0 && !running.IsCompleted)
        {
            await Task.Delay(5, ct);
        }

        using var refused = await server.Client.GetAsync("/iiif/3/bomb.png/full/900,/0/default.jpg", ct);
        using var cheap = await server.Client.GetAsync("/iiif/3/bomb.png/0,0,128,128/max/0/default.jpg", ct);
        var body = await refused.Content.ReadAsStringAsync(ct);
        var first = await running;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Contains("ExpensiveRenderQueueLength", body, StringComparison.Ordinal);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.OK, cheap.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode); // the budget stopped it
        first.Dispose();
    }

    /// <summary>The server with a 1 s budget, two render threads and no expensive queue, over the PNG.</summary>
    public sealed class BudgetServer : IAsyncLifetime
    {
        private WebApplication? _app;

        public string Root { get; } = Directory.CreateTempSubdirectory("tessera-budget-server-").FullName;

        public HttpClient Client { get; private set; } = null!;

        public ImagePipeline Pipeline => _app!.Services.GetRequiredService<ImagePipeline>();

        public async ValueTask InitializeAsync()
        {
            using (var xyz = VipsOperation.Image("xyz", ("width", 10000), ("height", 10000)))
            using (var x = xyz.ExtractBand(0))
            using (var y = xyz.ExtractBand(1))
            using (var product = VipsOperation.Image("multiply", ("left", x), ("right", y)))
            using (var wrapped = product.Call("remainder_const", ("c", new[] { 251.0 })))
            using (var bytes = wrapped.Cast(BandFormat.UChar))
            using (var rgb = VipsOperation.Image("bandjoin", ("in", new[] { bytes, bytes, bytes })))
            {
                rgb.SaveToFile("pngsave", Path.Combine(Root, "bomb.png"), ("compression", 1));
            }

            var options = new TesseraServerOptions
            {
                Root = Root,
                Cache = CacheMode.None,
                MaxConcurrentRenders = 2,
                RenderTimeoutSeconds = 1,
                ExpensiveRenderQueueLength = 0,
            };
            _app = TesseraServer.Build(options, ["http://127.0.0.1:0"]);
            await _app.StartAsync();
            var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            Client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
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
}

/// <summary>Runs by itself: it keeps the cores busy on purpose.</summary>
[CollectionDefinition(nameof(RenderBudgetTests), DisableParallelization = true)]
public sealed class RenderBudgetTestsCollection;
