using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Operations.Metrics;

namespace Tessera.Server.Tests.Operations;

/// <summary>
/// Counting a stored-tile request (tens of thousands a second) allocates nothing, with the server's exporter listening,
/// whether the counters are called alone or through the whole counting middleware; the CPU time of each, and of counting
/// an answer of unknown length through its body counter, is written to the test output (docs/deploy.md quotes them).
/// </summary>
public sealed class MetricsCostTests(ITestOutputHelper output)
{
    private const int Rounds = 100_000;

    /// <summary>This OS thread's CPU time (Linux schedstat): on a shared, loaded machine elapsed time says little.</summary>
    private static long ThreadCpuNanoseconds() => long.Parse(File.ReadAllText("/proc/thread-self/schedstat").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Counting_a_stored_tile_request_allocates_nothing()
    {
        await using var server = await OperationsServer.StartAsync();
        var metrics = server.Services.GetRequiredService<TesseraMetrics>();
        var context = new DefaultHttpContext();
        context.Request.Path = "/iiif/3/pyramid.tif/0,0,256,256/256,/0/default.jpg";
        context.Response.StatusCode = 200;
        context.Response.ContentLength = 14_000;
        context.Response.Headers["X-Tessera-Origin"] = "stored-tile";
        for (var i = 0; i < 10_000; i++)
        {
            metrics.Request(context, "image", 200, Stopwatch.GetTimestamp(), 14_000);
        }

        const int Count = 200_000;
        var cpu = ThreadCpuNanoseconds();
        var watch = Stopwatch.StartNew();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Count; i++)
        {
            metrics.Request(context, "image", 200, Stopwatch.GetTimestamp(), 14_000);
        }

        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        watch.Stop();
        cpu = ThreadCpuNanoseconds() - cpu;
        output.WriteLine($"{watch.Elapsed.TotalNanoseconds / Count:F0} ns elapsed, {(double)cpu / Count:F0} ns of this thread's CPU and {(double)allocated / Count:F2} bytes per counted request");

        // One allocation per request would be 24 bytes or more each, 4.8 MB in all.
        Assert.True(allocated < 1024, $"Expected no allocation per counted request but {allocated} bytes were allocated over {Count}");
        var scrape = await server.ScrapeAsync();
        Assert.Equal(10_000 + Count, scrape.Sum("tessera_requests_total", ("route", "image"), ("origin", "stored-tile")));
    }

    [Fact]
    public async Task The_counting_middleware_allocates_nothing_for_a_stored_tile_and_counts_a_streamed_answer_by_its_writes()
    {
        await using var server = await OperationsServer.StartAsync();
        var counting = new RequestCounting(server.Services.GetRequiredService<TesseraMetrics>(), window: null);
        var tile = new DefaultHttpContext();
        tile.Request.Path = "/iiif/3/pyramid.tif/0,0,256,256/256,/0/default.jpg";
        tile.Request.Method = "GET";
        tile.Response.StatusCode = 200;
        tile.Response.ContentLength = 14_000;
        tile.Response.Headers["X-Tessera-Origin"] = "stored-tile";
        RequestDelegate answered = _ => Task.CompletedTask;

        var streamed = new DefaultHttpContext();
        streamed.Request.Path = "/auth/me";
        streamed.Request.Method = "GET";
        var body = new byte[700];
        RequestDelegate writes = context => context.Response.Body.WriteAsync(body).AsTask();

        var (tileNanoseconds, tileBytes) = Measure(() => counting.InvokeAsync(tile, answered));
        var (streamedNanoseconds, streamedBytes) = Measure(() => counting.InvokeAsync(streamed, writes));
        output.WriteLine($"counting middleware, stored tile: {tileNanoseconds:F0} ns of this thread's CPU and {tileBytes:F2} bytes allocated per request");
        output.WriteLine($"counting middleware, answer of unknown length (body counter, one write): {streamedNanoseconds:F0} ns and {streamedBytes:F2} bytes per request");

        Assert.True(tileBytes < 0.01, $"Expected no allocation per stored tile but {tileBytes:F2} bytes were allocated per request");
        var scrape = await server.ScrapeAsync();
        Assert.Equal(Rounds * 14_000.0, scrape.Sum("tessera_response_bytes_total", ("route", "image")));
        Assert.Equal(Rounds * 700.0, scrape.Sum("tessera_response_bytes_total", ("route", "other")));
    }

    /// <summary>Runs <paramref name="request"/> (synchronous) 10,000 times to warm up, then <see cref="Rounds"/> times: CPU nanoseconds and bytes allocated per round.</summary>
    private static (double Nanoseconds, double Bytes) Measure(Func<Task> request)
    {
        for (var i = 0; i < 10_000; i++)
        {
            request().GetAwaiter().GetResult();
        }

        var cpu = ThreadCpuNanoseconds();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Rounds - 10_000; i++)
        {
            request().GetAwaiter().GetResult();
        }

        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        cpu = ThreadCpuNanoseconds() - cpu;
        return ((double)cpu / (Rounds - 10_000), (double)allocated / (Rounds - 10_000));
    }
}
