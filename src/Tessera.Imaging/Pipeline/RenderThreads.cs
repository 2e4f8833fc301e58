namespace Tessera.Imaging.Pipeline;

/// <summary>
/// A fixed set of long-lived threads that run renders, one at a time each. libvips keeps buffers per calling thread:
/// rendering on the thread pool's many threads left each holding its own (the server's memory grew by about a hundred
/// megabytes), a few dedicated threads hold a few. It also bounds how many renders run at once, the rest waiting their
/// turn without holding a thread.
/// <para>
/// Renders wait in two lanes (<see cref="RenderLane"/>), each bounded (a full lane refuses: the caller answers 503).
/// A free thread takes the render that has waited longest among those it may run; expensive renders hold at most
/// <see cref="ExpensiveSlots"/> threads (all but one), so a tile never waits behind a 12-second render, only behind
/// other cheap ones. Oldest first across the lanes keeps expensive renders from starving under a stream of tiles.
/// </para>
/// </summary>
public sealed class RenderThreads : IDisposable
{
    private readonly object _gate = new();
    private readonly LinkedList<Work> _cheap = new();
    private readonly LinkedList<Work> _expensive = new();
    private readonly Thread[] _threads;
    private readonly int _queueLength;
    private readonly int _expensiveQueueLength;
    private long _sequence;
    private int _running;
    private int _runningExpensive;
    private bool _closed;

    /// <param name="count">Threads, each running one render at a time.</param>
    /// <param name="name">Thread names (numbered), as seen in a debugger or <c>top -H</c>.</param>
    /// <param name="queueLength">Cheap renders waiting, at most.</param>
    /// <param name="expensiveQueueLength">Expensive renders waiting, at most.</param>
    public RenderThreads(int count, string name = "tessera render", int queueLength = int.MaxValue, int expensiveQueueLength = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegative(queueLength);
        ArgumentOutOfRangeException.ThrowIfNegative(expensiveQueueLength);
        (_queueLength, _expensiveQueueLength) = (queueLength, expensiveQueueLength);
        _threads = new Thread[count];
        for (var i = 0; i < count; i++)
        {
            _threads[i] = new Thread(Run) { IsBackground = true, Name = $"{name} {i + 1}" };
            _threads[i].Start();
        }
    }

    public int Count => _threads.Length;

    /// <summary>Threads expensive renders may hold at once: all but one (one, when there is only one thread).</summary>
    public int ExpensiveSlots => Math.Max(1, Count - 1);

    /// <summary>Renders running now.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>Expensive renders running now.</summary>
    public int RunningExpensive => Volatile.Read(ref _runningExpensive);

    /// <summary>Renders waiting in a lane now.</summary>
    public int Queued(RenderLane lane)
    {
        lock (_gate)
        {
            return Lane(lane).Count;
        }
    }

    /// <summary>Runs <paramref name="render"/> in the cheap lane; a request cancelled while it waits is never run.</summary>
    /// <exception cref="InvalidOperationException">The lane is full (see <see cref="TryRunAsync"/> to be told instead).</exception>
    public Task<T> RunAsync<T>(Func<T> render, CancellationToken cancellationToken = default) =>
        TryRunAsync(render, RenderLane.Cheap, cancellationToken) ?? throw new InvalidOperationException($"The render queue is full ({_queueLength} waiting)");

    /// <summary>
    /// Queues <paramref name="render"/> in <paramref name="lane"/> and returns its result to come, or null at once when the
    /// lane already holds its bound of waiting renders. A request cancelled while it waits leaves the queue and is never
    /// run (its task is cancelled); once running, stopping it is the render's own business (<see cref="Rendering.RenderControl"/>).
    /// </summary>
    public Task<T>? TryRunAsync<T>(Func<T> render, RenderLane lane, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(render);
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var work = new Work(lane, () => Complete(done, render, cancellationToken));
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            var queue = Lane(lane);
            if (!StartsNow(lane) && queue.Count >= (lane == RenderLane.Cheap ? _queueLength : _expensiveQueueLength))
            {
                return null;
            }

            work.Sequence = _sequence++;
            work.Node = queue.AddLast(work);
            Monitor.PulseAll(_gate);
        }

        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.UnsafeRegister(
                static (state, token) =>
                {
                    var (threads, work, done) = ((RenderThreads, Work, TaskCompletionSource<T>))state!;
                    if (threads.Withdraw(work))
                    {
                        done.TrySetCanceled(token);
                    }
                },
                (this, work, done));
            _ = done.Task.ContinueWith(static (_, r) => ((CancellationTokenRegistration)r!).Dispose(), registration, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return done.Task;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _closed = true;
            Monitor.PulseAll(_gate);
        }

        foreach (var thread in _threads)
        {
            thread.Join();
        }
    }

    private LinkedList<Work> Lane(RenderLane lane) => lane == RenderLane.Cheap ? _cheap : _expensive;

    /// <summary>
    /// Whether a render queued now in <paramref name="lane"/> is taken at once (a thread is free for it after those
    /// queued ahead that may run): it does not wait, so a lane bounded at 0 still runs what a free thread can take.
    /// Under <see cref="_gate"/>.
    /// </summary>
    private bool StartsNow(RenderLane lane)
    {
        var expensiveRoom = Math.Max(0, ExpensiveSlots - _runningExpensive);
        var ahead = _cheap.Count + Math.Min(_expensive.Count, expensiveRoom);
        var free = Count - _running;
        return free > ahead && (lane == RenderLane.Cheap || _expensive.Count < expensiveRoom);
    }

    /// <summary>Takes a waiting render out of its queue; false when a thread already took it.</summary>
    private bool Withdraw(Work work)
    {
        lock (_gate)
        {
            if (work.Node?.List is not { } queue)
            {
                return false;
            }

            queue.Remove(work.Node);
            work.Node = null;
            return true;
        }
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
        catch (OperationCanceledException e)
        {
            done.TrySetCanceled(e.CancellationToken);
        }
        catch (Exception e)
        {
            done.TrySetException(e);
        }
    }

    /// <summary>The next render this thread may run: the longest waiting cheap one or, while expensive ones hold fewer than <see cref="ExpensiveSlots"/>, expensive one; null once closed and empty.</summary>
    private Work? Take()
    {
        lock (_gate)
        {
            while (true)
            {
                var cheap = _cheap.First?.Value;
                var expensive = _runningExpensive < ExpensiveSlots ? _expensive.First?.Value : null;
                var next = (cheap, expensive) switch
                {
                    (null, null) => null,
                    ({ } c, null) => c,
                    (null, { } e) => e,
                    ({ } c, { } e) => c.Sequence < e.Sequence ? c : e,
                };
                if (next is not null)
                {
                    Lane(next.Lane).Remove(next.Node!);
                    next.Node = null;
                    _running++;
                    if (next.Lane == RenderLane.Expensive)
                    {
                        _runningExpensive++;
                    }

                    return next;
                }

                if (_closed && _cheap.Count == 0 && _expensive.Count == 0)
                {
                    return null;
                }

                Monitor.Wait(_gate);
            }
        }
    }

    private void Run()
    {
        while (Take() is { } work)
        {
            try
            {
                work.Run();
            }
            finally
            {
                lock (_gate)
                {
                    _running--;
                    if (work.Lane == RenderLane.Expensive)
                    {
                        _runningExpensive--;
                        Monitor.PulseAll(_gate);
                    }
                }
            }
        }
    }

    private sealed class Work(RenderLane lane, Action run)
    {
        public RenderLane Lane { get; } = lane;

        public Action Run { get; } = run;

        public long Sequence { get; set; }

        public LinkedListNode<Work>? Node { get; set; }
    }
}
