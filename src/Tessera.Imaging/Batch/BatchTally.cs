using System.Collections.Concurrent;
using System.Diagnostics;

namespace Tessera.Imaging.Batch;

/// <summary>Counts outcomes (thread-safe) and forwards each to the progress display.</summary>
public sealed class BatchTally(IBatchProgress? progress = null)
{
    private readonly ConcurrentQueue<(string Item, string Message)> _failures = new();
    private readonly ConcurrentQueue<(string Item, string Message)> _notes = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _done;
    private long _skipped;
    private long _failed;

    public void AddWork(long items) => progress?.AddWork(items);

    public void Report(BatchOutcome outcome, string item, string? message = null)
    {
        switch (outcome)
        {
            case BatchOutcome.Done:
                Interlocked.Increment(ref _done);
                if (message is not null)
                {
                    _notes.Enqueue((item, message));
                }

                break;
            case BatchOutcome.Skipped:
                Interlocked.Increment(ref _skipped);
                break;
            default:
                Interlocked.Increment(ref _failed);
                _failures.Enqueue((item, message ?? "failed"));
                break;
        }

        progress?.Report(outcome, item, message);
    }

    public BatchSummary Summary() =>
        new(Interlocked.Read(ref _done), Interlocked.Read(ref _skipped), Interlocked.Read(ref _failed), _clock.Elapsed, [.. _failures])
        {
            Notes = [.. _notes],
        };
}
