using System.Diagnostics;
using Spectre.Console;
using Tessera.Imaging.Batch;

namespace Tessera.Cli.Commands;

/// <summary>
/// The progress display every batch command shares: on a terminal a Spectre.Console bar with counts, rate and ETA;
/// otherwise (a log, a CI job, a pipe) a plain status line every few seconds. Either way one line per failure, and one
/// per item written with a note (a master converted to sRGB). Progress and the
/// summary go to standard error, so standard output stays free for data (the process report).
/// </summary>
internal sealed class BatchConsole : IBatchProgress
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);

    private readonly string _title;
    private readonly TextWriter _error;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _lock = new();
    private long _total;
    private long _finished;
    private long _failed;
    private TimeSpan _lastLine;

    private BatchConsole(string title, TextWriter error)
    {
        _title = title;
        _error = error;
    }

    public void AddWork(long items) => Interlocked.Add(ref _total, items);

    public void Report(BatchOutcome outcome, string item, string? message = null)
    {
        var finished = Interlocked.Increment(ref _finished);
        if (outcome == BatchOutcome.Failed)
        {
            Interlocked.Increment(ref _failed);
            lock (_lock)
            {
                _error.WriteLine($"failed: {item}: {message}");
            }
        }
        else if (outcome == BatchOutcome.Done && message is not null)
        {
            lock (_lock)
            {
                _error.WriteLine($"{message}: {item}");
            }
        }

        if (!Interactive)
        {
            lock (_lock)
            {
                if (_clock.Elapsed - _lastLine >= PlainInterval || finished == Interlocked.Read(ref _total))
                {
                    _lastLine = _clock.Elapsed;
                    _error.WriteLine(Status());
                }
            }
        }
    }

    private bool Interactive { get; init; }

    /// <summary>Runs a batch under a progress display, prints the summary and returns the exit code (1 when anything failed).</summary>
    public static async Task<int> RunAsync(string title, TextWriter error, Func<IBatchProgress, Task<BatchSummary>> batch)
    {
        var interactive = ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        var display = new BatchConsole(title, error) { Interactive = interactive };
        BatchSummary summary;
        if (interactive)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            summary = await console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask(title, autoStart: true, maxValue: 1);
                    var running = batch(display);
                    while (!running.IsCompleted)
                    {
                        display.Update(task);
                        await Task.WhenAny(running, Task.Delay(200));
                    }

                    display.Update(task);
                    return await running;
                });
        }
        else
        {
            summary = await batch(display);
        }

        error.WriteLine($"{title}: {summary}");
        return summary.Succeeded ? 0 : 1;
    }

    private void Update(ProgressTask task)
    {
        var total = Math.Max(1, Interlocked.Read(ref _total));
        task.MaxValue = total;
        task.Value = Interlocked.Read(ref _finished);
        var failed = Interlocked.Read(ref _failed);
        task.Description = $"{_title} {task.Value:0}/{total} {Rate():0}/s{(failed > 0 ? $" [red]{failed} failed[/]" : "")}";
    }

    private double Rate() => _clock.Elapsed.TotalSeconds > 0 ? Interlocked.Read(ref _finished) / _clock.Elapsed.TotalSeconds : 0;

    private string Status()
    {
        var total = Interlocked.Read(ref _total);
        var finished = Interlocked.Read(ref _finished);
        var rate = Rate();
        var eta = rate > 0 && total > finished ? TimeSpan.FromSeconds((total - finished) / rate) : TimeSpan.Zero;
        var percent = total > 0 ? 100.0 * finished / total : 100;
        return $"{_title}: {finished}/{total} ({percent:0}%), {rate:0}/s, ETA {eta:hh\\:mm\\:ss}, {Interlocked.Read(ref _failed)} failed";
    }
}
