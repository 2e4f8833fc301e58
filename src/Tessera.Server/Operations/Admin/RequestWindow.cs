using System.Collections.Concurrent;

namespace Tessera.Server.Operations.Admin;

/// <summary>
/// The requests of the last <see cref="Span"/> per identifier, for the admin page's slowest and failing identifiers:
/// kept in six generations of a sixth of the span each, the oldest dropped whole as time moves on, so memory is bounded
/// by <see cref="Capacity"/> identifiers (a generation that is full counts the newcomers it turned away in
/// <see cref="Dropped"/>) and a request costs a dictionary lookup and a few interlocked additions, without a lock.
/// Fed only when the admin view is on.
/// </summary>
public sealed class RequestWindow
{
    private const int Generations = 6;

    private readonly Generation[] _generations = new Generation[Generations];
    private readonly long _slotTicks;
    private readonly int _perGeneration;
    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly Lock _rotation = new();
    private long _dropped;

    /// <param name="capacity">Identifiers kept at most, over the whole span.</param>
    /// <param name="span">How far back the window reaches; an hour by default.</param>
    /// <param name="time">The clock (tests move it).</param>
    public RequestWindow(int capacity = 10_000, TimeSpan? span = null, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, Generations);
        Capacity = capacity;
        Span = span ?? TimeSpan.FromHours(1);
        _time = time ?? TimeProvider.System;
        _origin = _time.GetTimestamp();
        _slotTicks = (long)(Span.TotalSeconds / Generations * _time.TimestampFrequency);
        _perGeneration = capacity / Generations;
        for (var i = 0; i < Generations; i++)
        {
            _generations[i] = new Generation(-1);
        }
    }

    public int Capacity { get; }

    public TimeSpan Span { get; }

    /// <summary>Requests not kept because their generation already held its share of identifiers.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Counts one request of <paramref name="identifier"/>.</summary>
    /// <param name="identifier">The image identifier.</param>
    /// <param name="status">The HTTP status answered.</param>
    /// <param name="milliseconds">How long it took.</param>
    public void Add(string identifier, int status, double milliseconds)
    {
        var generation = Current();
        if (!generation.Entries.TryGetValue(identifier, out var stats))
        {
            if (generation.Entries.Count >= _perGeneration)
            {
                Interlocked.Increment(ref _dropped);
                return;
            }

            stats = generation.Entries.GetOrAdd(identifier, _ => new Stats());
        }

        stats.Add(status, milliseconds);
    }

    /// <summary>Every identifier seen within the span, its requests summed over the generations.</summary>
    public IReadOnlyList<IdentifierActivity> Snapshot()
    {
        var epoch = Epoch();
        var merged = new Dictionary<string, IdentifierActivity>(StringComparer.Ordinal);
        foreach (var generation in _generations.OrderBy(g => g.Epoch))
        {
            if (generation.Epoch <= epoch - Generations)
            {
                continue;
            }

            foreach (var (identifier, stats) in generation.Entries)
            {
                var activity = stats.Read(identifier);
                merged[identifier] = merged.TryGetValue(identifier, out var before) ? before.Merge(activity) : activity;
            }
        }

        return [.. merged.Values];
    }

    /// <summary>The <paramref name="count"/> identifiers with the slowest single request, slowest first.</summary>
    public IReadOnlyList<IdentifierActivity> Slowest(int count) => [.. Snapshot().OrderByDescending(a => a.MaxMilliseconds).ThenBy(a => a.Identifier, StringComparer.Ordinal).Take(count)];

    /// <summary>The <paramref name="count"/> identifiers with the most failed requests (see <see cref="IsFailure"/>), most first.</summary>
    public IReadOnlyList<IdentifierActivity> Failing(int count) => [.. Snapshot().Where(a => a.Failures > 0).OrderByDescending(a => a.Failures).ThenBy(a => a.Identifier, StringComparer.Ordinal).Take(count)];

    /// <summary>
    /// Any status of 400 or more: server errors, refused images (413, 415), and missing ones (404) too, since a link that
    /// keeps failing is what the list is for; the last failing status says which kind it is.
    /// </summary>
    public static bool IsFailure(int status) => status >= 400;

    private long Epoch() => (_time.GetTimestamp() - _origin) / _slotTicks;

    private Generation Current()
    {
        var epoch = Epoch();
        var slot = (int)(epoch % Generations);
        var generation = _generations[slot];
        if (generation.Epoch == epoch)
        {
            return generation;
        }

        lock (_rotation)
        {
            generation = _generations[slot];
            if (generation.Epoch != epoch)
            {
                // The generation a whole span old is dropped as one, replaced by a new one.
                generation = new Generation(epoch);
                Volatile.Write(ref _generations[slot], generation);
            }

            return generation;
        }
    }

    private sealed class Generation(long epoch)
    {
        public long Epoch { get; } = epoch;

        public ConcurrentDictionary<string, Stats> Entries { get; } = new(StringComparer.Ordinal);
    }

    private sealed class Stats
    {
        private long _requests;
        private long _failures;
        private long _totalMicroseconds;
        private long _maxMicroseconds;
        private int _lastStatus;
        private int _lastFailure;

        public void Add(int status, double milliseconds)
        {
            var micros = (long)(milliseconds * 1000);
            Interlocked.Increment(ref _requests);
            Interlocked.Add(ref _totalMicroseconds, micros);
            var max = Interlocked.Read(ref _maxMicroseconds);
            while (micros > max)
            {
                var seen = Interlocked.CompareExchange(ref _maxMicroseconds, micros, max);
                if (seen == max)
                {
                    break;
                }

                max = seen;
            }

            Volatile.Write(ref _lastStatus, status);
            if (IsFailure(status))
            {
                Interlocked.Increment(ref _failures);
                Volatile.Write(ref _lastFailure, status);
            }
        }

        public IdentifierActivity Read(string identifier) => new(
            identifier,
            Interlocked.Read(ref _requests),
            Interlocked.Read(ref _failures),
            Interlocked.Read(ref _maxMicroseconds) / 1000.0,
            Interlocked.Read(ref _totalMicroseconds) / 1000.0,
            Volatile.Read(ref _lastStatus),
            Volatile.Read(ref _lastFailure) is var failure and > 0 ? failure : null);
    }
}
