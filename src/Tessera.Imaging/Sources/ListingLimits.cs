namespace Tessera.Imaging.Sources;

/// <summary>
/// How far a listing of sources may go. A root is laid out by people, and people make loops (<c>ln -s . a</c>), deep
/// trees and folders of a million files: each bound stops the walk with what it found so far, marked truncated, so a
/// home page, a Collection or a batch never walks forever or fills memory.
/// </summary>
public sealed record ListingLimits
{
    /// <summary>The bounds used when none are given (the server's defaults): folders 32 deep, 200,000 entries, 10 seconds.</summary>
    public static ListingLimits Default { get; } = new();

    /// <summary>
    /// The bounds of the batch commands' listings (<c>seed</c>, <c>process</c>, <c>manifest</c> without identifiers): an
    /// operator's run over a whole collection, so 5,000,000 entries and 10 minutes; the depth stays 32.
    /// </summary>
    public static ListingLimits Batch { get; } = new() { MaxEntries = 5_000_000, MaxDuration = TimeSpan.FromMinutes(10) };

    /// <summary>Folder levels below the root that are entered (the root is level 0); deeper folders are not listed.</summary>
    public int MaxDepth { get; init; } = 32;

    /// <summary>Directory entries looked at (files, folders and links, images or not); the walk stops at this many.</summary>
    public int MaxEntries { get; init; } = 200_000;

    /// <summary>Time one listing may take; the walk stops when it runs out (a slow or hung network share).</summary>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Every problem with these limits (empty when they are valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxDepth is < 0 or > 1000)
        {
            errors.Add($"Expected 0..1000 for ListingMaxDepth but received {MaxDepth}");
        }

        if (MaxEntries < 1)
        {
            errors.Add($"Expected a positive integer for ListingMaxEntries but received {MaxEntries}");
        }

        if (MaxDuration <= TimeSpan.Zero)
        {
            errors.Add($"Expected a positive duration for ListingMaxSeconds but received {MaxDuration.TotalSeconds}");
        }

        return errors;
    }
}
