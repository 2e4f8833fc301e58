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

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
