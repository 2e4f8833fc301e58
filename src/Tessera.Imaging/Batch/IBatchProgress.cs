namespace Tessera.Imaging.Batch;

/// <summary>
/// Where a batch reports its progress: a progress bar on a terminal, plain lines in a log. Called from many threads at
/// once; implementations must be thread-safe. The total may grow while the batch runs (work is discovered per image).
/// </summary>
public interface IBatchProgress
{
    /// <summary>More items to do: adds to the total.</summary>
    void AddWork(long items);

    /// <summary>
    /// One item finished; <paramref name="message"/> says why when it failed, and what was done to it when it was written
    /// with something worth telling (a master converted from another colour profile to sRGB), else it is null.
    /// </summary>
    void Report(BatchOutcome outcome, string item, string? message = null);
}
