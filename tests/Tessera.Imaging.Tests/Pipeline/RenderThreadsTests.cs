using Tessera.Imaging.Pipeline;

namespace Tessera.Imaging.Tests.Pipeline;

public sealed class RenderThreadsTests
{
    [Fact]
    public async Task At_most_the_given_number_of_renders_run_at_once_and_all_complete()
    {
        using var threads = new RenderThreads(2);
        var running = 0;
        var most = 0;
        var names = new System.Collections.Concurrent.ConcurrentBag<string?>();
        var renders = Enumerable.Range(0, 40).Select(i => threads.RunAsync(() =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            names.Add(Thread.CurrentThread.Name);
            Thread.Sleep(2);
            Interlocked.Decrement(ref running);
            return i * i;
        }, TestContext.Current.CancellationToken)).ToList();

        var results = await Task.WhenAll(renders);

        Assert.Equal(Enumerable.Range(0, 40).Select(i => i * i), results);
        Assert.InRange(most, 1, 2);
        Assert.All(names, n => Assert.StartsWith("tessera render", n));
        Assert.InRange(names.Distinct().Count(), 1, 2);
    }

    [Fact]
    public async Task A_failure_reaches_the_caller_and_the_threads_go_on()
    {
        using var threads = new RenderThreads(1);

        await Assert.ThrowsAsync<InvalidOperationException>(() => threads.RunAsync<int>(() => throw new InvalidOperationException("broken image"), TestContext.Current.CancellationToken));
        Assert.Equal(7, await threads.RunAsync(() => 7, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_request_cancelled_while_it_waits_is_never_rendered()
    {
        using var threads = new RenderThreads(1);
        using var release = new ManualResetEventSlim();
        var blocker = threads.RunAsync(() => release.Wait(TimeSpan.FromSeconds(10)), TestContext.Current.CancellationToken);
        using var cancel = new CancellationTokenSource();
        var ran = false;
        var waiting = threads.RunAsync(() => ran = true, cancel.Token);

        cancel.Cancel();
        release.Set();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.True(await blocker);
        Assert.False(ran);
    }

    [Fact]
    public async Task Cheap_renders_run_while_expensive_ones_hold_all_the_threads_they_may()
    {
        // Two threads: expensive renders may hold one. Three expensive renders block; cheap ones still run, on the other.
        using var threads = new RenderThreads(2);
        using var release = new ManualResetEventSlim();
        var ct = TestContext.Current.CancellationToken;
        var expensive = Enumerable.Range(0, 3).Select(_ => threads.TryRunAsync(() => release.Wait(TimeSpan.FromSeconds(30)), RenderLane.Expensive, ct)!).ToList();
        var cheap = Enumerable.Range(0, 20).Select(i => threads.TryRunAsync(() => i, RenderLane.Cheap, ct)!).ToList();

        var results = await Task.WhenAll(cheap).WaitAsync(TimeSpan.FromSeconds(20), ct);

        Assert.Equal(Enumerable.Range(0, 20), results);
        Assert.All(expensive, e => Assert.False(e.IsCompleted));
        Assert.Equal(1, threads.RunningExpensive);
        Assert.Equal(2, threads.Queued(RenderLane.Expensive));
        release.Set();
        Assert.All(await Task.WhenAll(expensive), Assert.True);
    }

    [Fact]
    public async Task A_full_lane_refuses_at_once_and_the_other_lane_still_takes_work()
    {
        using var threads = new RenderThreads(1, queueLength: 2, expensiveQueueLength: 1);
        using var release = new ManualResetEventSlim();
        var ct = TestContext.Current.CancellationToken;
        var running = threads.TryRunAsync(() => release.Wait(TimeSpan.FromSeconds(30)), RenderLane.Expensive, ct)!;
        while (threads.Running == 0)
        {
            await Task.Delay(5, ct);
        }

        var waiting = threads.TryRunAsync(() => true, RenderLane.Expensive, ct);
        var refused = threads.TryRunAsync(() => true, RenderLane.Expensive, ct);
        var cheap = new[] { threads.TryRunAsync(() => true, RenderLane.Cheap, ct), threads.TryRunAsync(() => true, RenderLane.Cheap, ct) };
        var cheapRefused = threads.TryRunAsync(() => true, RenderLane.Cheap, ct);

        Assert.NotNull(waiting);
        Assert.Null(refused);
        Assert.All(cheap, Assert.NotNull);
        Assert.Null(cheapRefused);
        release.Set();
        Assert.True(await running);
        Assert.True(await waiting!);
        Assert.All(await Task.WhenAll(cheap!), Assert.True);
    }

    [Fact]
    public async Task A_lane_bounded_at_0_runs_what_a_free_thread_takes_and_refuses_what_would_wait()
    {
        using var threads = new RenderThreads(2, queueLength: 0, expensiveQueueLength: 0);
        using var release = new ManualResetEventSlim();
        var ct = TestContext.Current.CancellationToken;

        var expensive = threads.TryRunAsync(() => release.Wait(TimeSpan.FromSeconds(30)), RenderLane.Expensive, ct);
        var second = threads.TryRunAsync(() => true, RenderLane.Expensive, ct);
        var cheap = threads.TryRunAsync(() => release.Wait(TimeSpan.FromSeconds(30)), RenderLane.Cheap, ct);
        var third = threads.TryRunAsync(() => true, RenderLane.Cheap, ct);

        Assert.NotNull(expensive);
        Assert.Null(second);
        Assert.NotNull(cheap);
        Assert.Null(third);
        release.Set();
        Assert.True(await expensive!);
        Assert.True(await cheap!);
    }

    [Fact]
    public async Task A_request_cancelled_while_it_waits_leaves_the_queue_at_once()
    {
        using var threads = new RenderThreads(1, expensiveQueueLength: 1);
        using var release = new ManualResetEventSlim();
        var ct = TestContext.Current.CancellationToken;
        var running = threads.TryRunAsync(() => release.Wait(TimeSpan.FromSeconds(30)), RenderLane.Expensive, ct)!;
        while (threads.Running == 0)
        {
            await Task.Delay(5, ct);
        }

        using var cancel = new CancellationTokenSource();
        var waiting = threads.TryRunAsync(() => true, RenderLane.Expensive, cancel.Token)!;

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(0, threads.Queued(RenderLane.Expensive));
        Assert.NotNull(threads.TryRunAsync(() => true, RenderLane.Expensive, ct));
        release.Set();
        Assert.True(await running);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
