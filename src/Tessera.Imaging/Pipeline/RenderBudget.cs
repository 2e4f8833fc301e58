namespace Tessera.Imaging.Pipeline;

/// <summary>
/// How long a render may take and how many may wait, lane by lane (<see cref="RenderLane"/>): what keeps a few costly
/// sources (a 60000² PNG costs 12 s of a core per full-size request) from holding every render thread and making
/// every tile wait behind them. The batch commands render without limits (<see cref="Unlimited"/>); the server sets
/// its own.
/// </summary>
public sealed record RenderBudget
{
    /// <summary>
    /// From the moment a render is queued to its encoded bytes, at most this long: past it, the render is stopped (libvips
    /// killed, the managed loops cancelled) and answered 503. <see cref="Timeout.InfiniteTimeSpan"/>: no limit.
    /// </summary>
    public TimeSpan Timeout { get; init; } = System.Threading.Timeout.InfiniteTimeSpan;

    /// <summary>
    /// Renders whose estimated cost (<see cref="RenderCost"/>, source pixels decoded) is above this take the
    /// <see cref="RenderLane.Expensive"/> lane, which holds at most all render threads but one.
    /// </summary>
    public long ExpensivePixels { get; init; } = DefaultExpensivePixels;

    /// <summary>Cheap renders waiting for a thread, at most; the next is answered 503. <see cref="int.MaxValue"/>: no bound.</summary>
    public int QueueLength { get; init; } = int.MaxValue;

    /// <summary>Expensive renders waiting for a thread, at most; the next is answered 503. <see cref="int.MaxValue"/>: no bound.</summary>
    public int ExpensiveQueueLength { get; init; } = int.MaxValue;

    /// <summary>
    /// 16 Mpx decoded: a whole 4000×4000 photograph, about 0.1–0.3 s of a core. Tiles and regions of pyramids cost a few
    /// hundred thousand; full-size renders of large flat sources cost hundreds of millions.
    /// </summary>
    public const long DefaultExpensivePixels = 16_000_000;

    /// <summary>No time limit and no queue bound (the batch commands: every item is rendered, however long it takes).</summary>
    public static RenderBudget Unlimited { get; } = new();

    /// <summary>Whether renders have a time limit.</summary>
    public bool HasTimeout => Timeout != System.Threading.Timeout.InfiniteTimeSpan;

    /// <summary>Every problem with these settings, each naming the setting (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Timeout <= TimeSpan.Zero && Timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            errors.Add($"Expected a positive duration (or none) for RenderTimeout but received {Timeout}");
        }

        if (ExpensivePixels < 1)
        {
            errors.Add($"Expected 1 or more for ExpensiveRenderPixels but received {ExpensivePixels}");
        }

        if (QueueLength < 0 || ExpensiveQueueLength < 0)
        {
            errors.Add($"Expected 0 or more for RenderQueueLength and ExpensiveRenderQueueLength but received {QueueLength} and {ExpensiveQueueLength}");
        }

        return errors;
    }
}
