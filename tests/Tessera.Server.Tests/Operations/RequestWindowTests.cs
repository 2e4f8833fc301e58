using Tessera.Server.Operations.Admin;

namespace Tessera.Server.Tests.Operations;

/// <summary>The admin page's window of the last hour: per identifier, bounded, and forgetting what is older than its span.</summary>
public sealed class RequestWindowTests
{
    [Fact]
    public void Requests_are_summed_per_identifier_with_their_slowest_and_failures()
    {
        var window = new RequestWindow();
        window.Add("a.tif", 200, 10);
        window.Add("a.tif", 200, 30);
        window.Add("b.tif", 404, 1);
        window.Add("b.tif", 500, 2);
        window.Add("c.tif", 200, 5);

        var slowest = window.Slowest(2);
        var failing = window.Failing(10);

        Assert.Equal(["a.tif", "c.tif"], slowest.Select(a => a.Identifier));
        Assert.Equal((2L, 30.0, 20.0), (slowest[0].Requests, slowest[0].MaxMilliseconds, slowest[0].MeanMilliseconds));
        Assert.Equal(["b.tif"], failing.Select(a => a.Identifier));
        Assert.Equal((2L, 500), (failing[0].Failures, failing[0].LastFailureStatus));
    }

    [Fact]
    public void What_is_older_than_the_span_is_forgotten_and_what_is_newer_is_kept()
    {
        var time = new ManualTime();
        var window = new RequestWindow(span: TimeSpan.FromHours(1), time: time);
        window.Add("old.tif", 500, 100);
        time.Advance(TimeSpan.FromMinutes(40));
        window.Add("recent.tif", 500, 100);
        time.Advance(TimeSpan.FromMinutes(25));

        Assert.Equal(["recent.tif"], window.Snapshot().Select(a => a.Identifier));
        time.Advance(TimeSpan.FromMinutes(60));
        Assert.Empty(window.Snapshot());
    }

    [Fact]
    public void Identifiers_beyond_the_capacity_are_counted_out_not_kept()
    {
        var window = new RequestWindow(capacity: 60);
        for (var i = 0; i < 100; i++)
        {
            window.Add($"{i}.tif", 200, 1);
        }

        window.Add("0.tif", 200, 1); // already held: still counted

        Assert.Equal(10, window.Snapshot().Count);
        Assert.Equal(90, window.Dropped);
        Assert.Equal(2, window.Snapshot().Single(a => a.Identifier == "0.tif").Requests);
    }

    /// <summary>A clock the test moves.</summary>
    private sealed class ManualTime : TimeProvider
    {
        private long _ticks = TimeSpan.TicksPerDay;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
