using System.Diagnostics;
using Tessera.Core.Planning;
using Tessera.Imaging.Batch;
using Tessera.Imaging.Pipeline;
using Tessera.Imaging.Sources;
using Tessera.Vips;

namespace Tessera.Imaging.Tests.Pipeline;

/// <summary>
/// CPU bombs: a 10000² PNG (read top to bottom, so every full-size render decodes all 100 Mpx) rendered at full size
/// several times at once, beside cheap requests. Asserted by ordering, never by absolute times: these machines are
/// shared and noisy. CPU-heavy, so the class runs by itself.
/// </summary>
[Collection(nameof(RenderBudgetTests))]
public sealed class RenderBudgetTests(RenderBudgetTests.Sources sources, ITestOutputHelper output) : IClassFixture<RenderBudgetTests.Sources>
{
    private const string Bomb = "bomb.png";
    private const string Small = "small.jpg";

    [Fact]
    public void The_cost_of_a_full_render_of_a_flat_source_is_every_pixel_and_a_tile_of_it_only_the_rows_above()
    {
        var pipeline = Create(threads: 1);
        var full = Plan(pipeline, Bomb, "full", "1000,");
        var top = Plan(pipeline, Bomb, "0,0,256,256", "max");
        var small = Plan(pipeline, Small, "0,0,256,256", "max");

        Assert.Equal(100_000_000, RenderCost.Of(full.Plan, full.Source));
        Assert.Equal(10_000L * 256, RenderCost.Of(top.Plan, top.Source));
        Assert.Equal(RenderLane.Expensive, RenderCost.LaneOf(RenderCost.Of(full.Plan, full.Source), pipeline.Budget));
        Assert.Equal(RenderLane.Cheap, RenderCost.LaneOf(RenderCost.Of(top.Plan, top.Source), pipeline.Budget));
        Assert.Equal(RenderLane.Cheap, RenderCost.LaneOf(RenderCost.Of(small.Plan, small.Source), pipeline.Budget));
    }

    [Fact]
    public async Task Cheap_requests_complete_while_expensive_ones_are_still_running()
    {
        var ct = TestContext.Current.CancellationToken;
        var pipeline = Create(threads: 2);
        await PipelineRequests.Image(pipeline, Small, "0,0,64,64", "max"); // describes the sources: not what is measured
        await PipelineRequests.Image(pipeline, Bomb, "0,0,64,64", "max");
        var clock = Stopwatch.StartNew();
        var expensive = Enumerable.Range(0, 4).Select(_ => Timed(PipelineRequests.Outcome(pipeline, Bomb, "full", "max"), clock)).ToList();
        while (pipeline.RenderThreads.RunningExpensive == 0)
        {
            await Task.Delay(5, ct);
        }

        var cheap = new List<(bool Ok, TimeSpan Done)>();
        for (var i = 0; i < 8; i++)
        {
            cheap.Add(await Timed(PipelineRequests.Outcome(pipeline, i % 2 == 0 ? Small : Bomb, $"{i * 32},0,128,128", "max"), clock));
        }

        var lastCheap = cheap.Max(c => c.Done);
        var stillRunning = expensive.Count(e => !e.IsCompleted);
        var done = await Task.WhenAll(expensive);
        output.WriteLine($"8 tiles done by {lastCheap.TotalMilliseconds:0} ms; full-size renders ended at {string.Join(", ", done.Select(e => $"{e.Done.TotalMilliseconds:0}"))} ms");

        Assert.All(cheap, c => Assert.True(c.Ok));
        Assert.All(done, e => Assert.True(e.Ok));
        Assert.True(stillRunning >= 3, $"{4 - stillRunning} of 4 full-size renders were done when the last of 8 tiles was ({lastCheap.TotalMilliseconds:0} ms)");
        Assert.True(lastCheap < done.Min(e => e.Done), $"the last tile took until {lastCheap.TotalMilliseconds:0} ms, the first full-size render ended at {done.Min(e => e.Done).TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task A_render_past_its_budget_answers_503_with_retry_after_and_the_next_render_on_that_thread_is_fine()
    {
        var pipeline = Create(threads: 1, new RenderBudget { Timeout = TimeSpan.FromMilliseconds(400) });
        var before = await PipelineRequests.Image(pipeline, Bomb, "0,0,256,256", "max");
        var clock = Stopwatch.StartNew();

        var outcome = await PipelineRequests.Outcome(pipeline, Bomb, "full", "max");
        var stoppedAfter = clock.Elapsed;
        output.WriteLine($"a 400 ms budget answered after {stoppedAfter.TotalMilliseconds:0} ms");

        Assert.False(outcome.TryGetValue(out _, out var error));
        Assert.Equal(503, error.Status);
        Assert.Contains("RenderTimeoutSeconds", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.RetryAfter);
        Assert.Equal(1, pipeline.StoppedCount);

        // The same thread (there is one) renders on, the same bytes as before; nothing of the stopped render was cached.
        var after = await PipelineRequests.Image(pipeline, Bomb, "0,0,256,256", "max");
        Assert.Equal(before.Image.Data, after.Image.Data);
        Assert.True((await PipelineRequests.Image(pipeline, Small, "full", "100,")).Image.Width == 100);
        Assert.True(stoppedAfter < TimeSpan.FromSeconds(20), $"stopped after {stoppedAfter.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task A_full_lane_answers_503_with_retry_after_at_once()
    {
        var ct = TestContext.Current.CancellationToken;
        // Two threads: one for expensive renders, one kept for cheap ones.
        var pipeline = Create(threads: 2, new RenderBudget { ExpensiveQueueLength = 1 });
        using var leave = new CancellationTokenSource();
        var running = Outcome(pipeline, Bomb, "full", "max", leave.Token);
        while (pipeline.RenderThreads.RunningExpensive == 0)
        {
            await Task.Delay(5, ct);
        }

        var waiting = Outcome(pipeline, Bomb, "full", "800,", leave.Token);
        var refused = await Outcome(pipeline, Bomb, "full", "700,", leave.Token);
        var cheap = await PipelineRequests.Outcome(pipeline, Small, "0,0,64,64", "max");

        Assert.False(refused.TryGetValue(out _, out var error));
        Assert.Equal(503, error.Status);
        Assert.Contains("ExpensiveRenderQueueLength", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.RetryAfter);
        Assert.True(cheap.IsSuccess);
        Assert.False(running.IsCompleted);
        await leave.CancelAsync();
        Assert.All(await Task.WhenAll(running, waiting), o => Assert.Equal(ImagePipeline.ClientClosedRequest, o.Error?.Status));
    }

    [Fact]
    public async Task A_render_whose_client_left_is_stopped_not_finished()
    {
        var ct = TestContext.Current.CancellationToken;
        var pipeline = Create(threads: 1);
        var before = await PipelineRequests.Image(pipeline, Bomb, "0,0,256,256", "max");
        using var leave = new CancellationTokenSource();
        var render = Outcome(pipeline, Bomb, "full", "max", leave.Token);
        while (pipeline.RenderThreads.RunningExpensive == 0)
        {
            await Task.Delay(5, ct);
        }

        await Task.Delay(100, ct);
        var clock = Stopwatch.StartNew();
        await leave.CancelAsync();
        var outcome = await render;
        output.WriteLine($"stopped {clock.Elapsed.TotalMilliseconds:0} ms after its client left");

        // Without the kill, the render would run to its end and give its image.
        Assert.Equal(ImagePipeline.ClientClosedRequest, outcome.Error?.Status);
        Assert.Equal(1, pipeline.StoppedCount);
        Assert.Equal(0, pipeline.RenderThreads.Running);
        Assert.Equal(before.Image.Data, (await PipelineRequests.Image(pipeline, Bomb, "0,0,256,256", "max")).Image.Data);
    }

    private ImagePipeline Create(int threads, RenderBudget? budget = null) => PipelineFactory.Create(new ImagePipelineSettings
    {
        Root = sources.Root,
        MaxConcurrentRenders = threads,
        Budget = budget ?? RenderBudget.Unlimited,
    });

    private static (ImagePlan Plan, SourceDescription Source) Plan(ImagePipeline pipeline, string identifier, string region, string size)
    {
        var request = Core.Iiif.ImageRequestParser.Parse(Core.Iiif.ApiVersion.V3, identifier, region, size, "0", "default.jpg").Value;
        return pipeline.Plan(request).Value;
    }

    private static Task<Core.Iiif.Outcome<ImageResult>> Outcome(ImagePipeline pipeline, string identifier, string region, string size, CancellationToken cancellationToken)
    {
        var request = Core.Iiif.ImageRequestParser.Parse(Core.Iiif.ApiVersion.V3, identifier, region, size, "0", "default.jpg").Value;
        return pipeline.RunAsync(request, cancellationToken);
    }

    private static async Task<(bool Ok, TimeSpan Done)> Timed(Task<Core.Iiif.Outcome<ImageResult>> outcome, Stopwatch clock)
    {
        var result = await outcome;
        return (result.IsSuccess, clock.Elapsed);
    }

    /// <summary>The sources, made once: the 10000² PNG (about 7 MB: a product of coordinates, deflate level 1) and a small JPEG.</summary>
    public sealed class Sources : IDisposable
    {
        public Sources()
        {
            BatchPipeline.ConfigureVips(1);
            using var xyz = VipsOperation.Image("xyz", ("width", 10000), ("height", 10000));
            using var x = xyz.ExtractBand(0);
            using var y = xyz.ExtractBand(1);
            using var product = VipsOperation.Image("multiply", ("left", x), ("right", y));
            using var wrapped = product.Call("remainder_const", ("c", new[] { 251.0 }));
            using var bytes = wrapped.Cast(BandFormat.UChar);
            using var rgb = VipsOperation.Image("bandjoin", ("in", new[] { bytes, bytes, bytes }));
            rgb.SaveToFile("pngsave", Path.Combine(Root, Bomb), ("compression", 1));
            using var small = VipsOperation.Image("xyz", ("width", 600), ("height", 400));
            using var smallBytes = small.Cast(BandFormat.UChar);
            using var smallRgb = smallBytes.Call("bandjoin_const", ("c", new[] { 128.0 }));
            smallRgb.SaveToFile("jpegsave", Path.Combine(Root, Small), ("Q", 80));
        }

        public string Root { get; } = Directory.CreateTempSubdirectory("tessera-budget-").FullName;

        public void Dispose() => Directory.Delete(Root, recursive: true);
    }
}

/// <summary>Runs by itself: it keeps every core busy on purpose.</summary>
[CollectionDefinition(nameof(RenderBudgetTests), DisableParallelization = true)]
public sealed class RenderBudgetTestsCollection;
