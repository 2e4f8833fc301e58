using Tessera.Core.Iiif;

namespace Tessera.Imaging.Sources;

/// <summary>
/// Maps an identifier to the bytes of its image: the one way the server and the commands reach sources, whatever
/// holds them (a folder today; object stores and HTTP origins are further implementations). Implementations never let
/// an identifier escape their root. Called once per request, before anything is decoded; errors come back as values
/// (400 malformed, 404 unknown).
/// </summary>
public interface ISourceResolver
{
    /// <summary>
    /// Why <paramref name="identifier"/> is refused by its spelling alone (400), or null when it may name a source.
    /// Asks nothing of the storage, so callers can refuse a malformed identifier (or an object id spelt like one)
    /// before any lookup; <see cref="Resolve"/> applies the same check first and answers it as a 400.
    /// </summary>
    string? IdentifierProblem(string identifier);

    /// <summary>The source named by <paramref name="identifier"/>: 400 for a malformed identifier, 404 for an unknown one.</summary>
    Outcome<ResolvedSource> Resolve(string identifier);

    /// <summary>
    /// Every identifier under the root, in natural order, for listings (home page, Collection, batch commands). Bounded:
    /// an implementation stops at its limits or when <paramref name="cancellationToken"/> is cancelled and answers what
    /// it found, with <see cref="SourceListing.Truncated"/> saying why; it never throws for what the storage holds
    /// (loops, unreadable places are left out and named in <see cref="SourceListing.Skipped"/>).
    /// </summary>
    SourceListing List(CancellationToken cancellationToken = default);

    /// <summary>
    /// Why the root cannot be read now (gone, unmounted, refused), or null when it can: for readiness probes, so it
    /// must be cheap (one listing or stat, never a walk).
    /// </summary>
    string? RootProblem();
}
