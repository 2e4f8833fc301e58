using System.Collections;

namespace Tessera.Imaging.Sources;

/// <summary>
/// The identifiers a listing found, in natural order, and whether that is all of them. It is a list of identifiers
/// itself, so callers that only want the names use it as one; callers that show a listing to people also say when it
/// is <see cref="Truncated"/> and log what was <see cref="Skipped"/>.
/// </summary>
public sealed class SourceListing : IReadOnlyList<string>
{
    private readonly IReadOnlyList<string> _identifiers;

    public SourceListing(IReadOnlyList<string> identifiers, string? truncated = null, IReadOnlyList<string>? skipped = null)
    {
        ArgumentNullException.ThrowIfNull(identifiers);
        _identifiers = identifiers;
        Truncated = truncated;
        Skipped = skipped ?? [];
    }

    /// <summary>
    /// Why the listing stopped before the end (a bound was reached or the caller cancelled), naming the setting that
    /// raises the bound; null when the listing is complete.
    /// </summary>
    public string? Truncated { get; }

    /// <summary>What was left out and why, one line each (symbolic link loops, links out of the root, unreadable folders).</summary>
    public IReadOnlyList<string> Skipped { get; }

    public int Count => _identifiers.Count;

    public string this[int index] => _identifiers[index];

    public IEnumerator<string> GetEnumerator() => _identifiers.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
