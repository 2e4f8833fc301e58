namespace Tessera.Imaging.Caching;

/// <summary>
/// Lets a failure be reported at most once per interval and counts those held back into the next report: a cache that
/// fails on every request (a full disk, a store down) says so once a minute, not thousands of times.
/// </summary>
internal sealed class WarningThrottle
{
    private readonly Lock _lock = new();
    private long _next;
    private int _suppressed;

    /// <summary>
    /// True when a report may go out now, with how many were held back since the last one; false (and counted) when
    /// one went out less than <paramref name="interval"/> ago.
    /// </summary>
    public bool TryTake(TimeSpan interval, out int suppressed)
    {
        lock (_lock)
        {
            var now = Environment.TickCount64;
            if (now < _next)
            {
                _suppressed++;
                suppressed = 0;
                return false;
            }

            suppressed = _suppressed;
            _suppressed = 0;
            _next = now + (long)interval.TotalMilliseconds;
            return true;
        }
    }
}
