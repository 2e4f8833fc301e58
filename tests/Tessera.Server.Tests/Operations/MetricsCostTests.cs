using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Operations.Metrics;

namespace Tessera.Server.Tests.Operations;

/// <summary>
/// Counting a stored-tile request (tens of thousands a second) allocates nothing, with the server's exporter listening;
/// its CPU time is written to the test output (docs/deploy.md quotes it).
/// </summary>
public sealed class MetricsCostTests(ITestOutputHelper output)
{
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
            metrics.Request(context, 200, Stopwatch.GetTimestamp());
        }

        const int Count = 200_000;
        var cpu = ThreadCpuNanoseconds();
        var watch = Stopwatch.StartNew();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Count; i++)
        {
            metrics.Request(context, 200, Stopwatch.GetTimestamp());
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
}
