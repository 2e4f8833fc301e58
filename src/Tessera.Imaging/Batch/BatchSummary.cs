namespace Tessera.Imaging.Batch;

/// <summary>How a batch went.</summary>
/// <param name="Done">Items written.</param>
/// <param name="Skipped">Items already complete or up to date.</param>
/// <param name="Failed">Items that could not be made.</param>
/// <param name="Elapsed">Wall-clock time.</param>
/// <param name="Failures">Each failed item with the reason.</param>
public sealed record BatchSummary(long Done, long Skipped, long Failed, TimeSpan Elapsed, IReadOnlyList<(string Item, string Message)> Failures)
{
    public bool Succeeded => Failed == 0;

    /// <summary>Written items with what was done to them worth telling, e.g. <c>converted from "Adobe RGB (1998)" to sRGB</c>.</summary>
    public IReadOnlyList<(string Item, string Message)> Notes { get; init; } = [];

    /// <summary>Items written per second of wall-clock time.</summary>
    public double Rate => Elapsed.TotalSeconds > 0 ? Done / Elapsed.TotalSeconds : 0;

    public override string ToString() =>
        $"{Done} written, {Skipped} skipped, {Failed} failed in {Elapsed.TotalSeconds:0.0} s ({Rate:0} per second)";
}
