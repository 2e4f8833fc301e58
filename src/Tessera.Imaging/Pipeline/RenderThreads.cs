using System.Collections.Concurrent;

namespace Tessera.Imaging.Pipeline;

/// <summary>
/// A fixed set of long-lived threads that run renders, one at a time each; requests queue for them in order. libvips
/// keeps buffers per calling thread: rendering on the thread pool's many threads left each holding its own (the
/// server's memory grew by about a hundred megabytes), a few dedicated threads hold a few. It also bounds how many
/// renders run at once, the rest waiting their turn without holding a thread.
/// </summary>
public sealed class RenderThreads : IDisposable
{
    private readonly BlockingCollection<Action> _work = new();
    private readonly Thread[] _threads;

    public RenderThreads(int count, string name = "tessera render")
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        _threads = new Thread[count];
        for (var i = 0; i < count; i++)
        {
            _threads[i] = new Thread(Run) { IsBackground = true, Name = $"{name} {i + 1}" };
            _threads[i].Start();
        }
    }

    public int Count => _threads.Length;

    /// <summary>Runs <paramref name="render"/> on one of the threads; a request cancelled while it waits is never run.</summary>
    public Task<T> RunAsync<T>(Func<T> render, CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);

        // The queue is unbounded, so Add never waits: the token only matters once the work is taken.
        _work.Add(() => Complete(done, render, cancellationToken), CancellationToken.None);
        return done.Task;
    }

    public void Dispose()
    {
        _work.CompleteAdding();
        foreach (var thread in _threads)
        {
            thread.Join();
        }

        _work.Dispose();
    }

    private static void Complete<T>(TaskCompletionSource<T> done, Func<T> render, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            done.TrySetCanceled(cancellationToken);
            return;
        }

        try
        {
            done.TrySetResult(render());
        }
        catch (Exception e)
        {
            done.TrySetException(e);
        }
    }

    private void Run()
    {
        foreach (var work in _work.GetConsumingEnumerable())
        {
            work();
        }
    }
}
