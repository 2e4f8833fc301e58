using Tessera.Imaging.Rendering;

namespace Tessera.Imaging.Pipeline;

/// <summary>
/// Stops renders that run past their deadline (<see cref="RenderControl.Deadline"/>), waiting or running: one timer
/// for every render of a pipeline, not a thread or a timer per request. It ticks a few times per budget (at most every
/// 250 ms, at least every 20 ms), so a render is stopped within a tick of its deadline.
/// </summary>
public sealed class RenderWatchdog : IDisposable
{
    private readonly HashSet<RenderControl> _watched = [];
    private readonly Timer? _timer;

    /// <param name="budget">The renders' time limit; <see cref="Timeout.InfiniteTimeSpan"/> for none (then no timer runs at all).</param>
    public RenderWatchdog(TimeSpan budget)
    {
        if (budget != Timeout.InfiniteTimeSpan)
        {
            var tick = TimeSpan.FromMilliseconds(Math.Clamp(budget.TotalMilliseconds / 8, 20, 250));
            _timer = new Timer(static state => ((RenderWatchdog)state!).Tick(), this, tick, tick);
        }
    }

    /// <summary>Renders stopped for their deadline so far.</summary>
    public long TimedOut => Interlocked.Read(ref _timedOut);

    private long _timedOut;

    /// <summary>Renders being watched now (queued or running).</summary>
    public int Watched
    {
        get
        {
            lock (_watched)
            {
                return _watched.Count;
            }
        }
    }

    /// <summary>Watches <paramref name="control"/> until <see cref="Forget"/>; one without a deadline (or with no timer to watch it) is not watched.</summary>
    public void Watch(RenderControl control)
    {
        ArgumentNullException.ThrowIfNull(control);
        if (control.Deadline == long.MaxValue || _timer is null)
        {
            return;
        }

        lock (_watched)
        {
            _watched.Add(control);
        }
    }

    public void Forget(RenderControl control)
    {
        lock (_watched)
        {
            _watched.Remove(control);
        }
    }

    public void Dispose() => _timer?.Dispose();

    private void Tick()
    {
        var now = Environment.TickCount64;
        List<RenderControl>? late = null;
        lock (_watched)
        {
            foreach (var control in _watched)
            {
                if (now >= control.Deadline && !control.IsStopped)
                {
                    (late ??= []).Add(control);
                }
            }
        }

        // Stopped outside the lock: killing images and cancelling tokens run callbacks.
        foreach (var control in late ?? [])
        {
            control.Stop(RenderStop.TimedOut);
            if (control.Reason == RenderStop.TimedOut)
            {
                Interlocked.Increment(ref _timedOut);
            }
        }
    }
}
