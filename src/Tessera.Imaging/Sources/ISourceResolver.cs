using Tessera.Core.Iiif;

namespace Tessera.Imaging.Sources;

/// <summary>
/// Maps an identifier to the bytes of its image. Implementations never let an identifier escape their root.
/// Called once per request, before anything is decoded; errors come back as values (400 malformed, 404 unknown).
/// </summary>
public interface ISourceResolver
{
    Outcome<ResolvedSource> Resolve(string identifier);

    /// <summary>Every identifier under the root, in natural order, for listings.</summary>
    IEnumerable<string> List();
}
