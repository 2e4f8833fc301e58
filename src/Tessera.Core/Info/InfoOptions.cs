using Tessera.Core.Compliance;
using Tessera.Core.Iiif;

namespace Tessera.Core.Info;

/// <summary>What info.json says beyond the source's facts. Every member has a sensible default.</summary>
public sealed record InfoOptions
{
    /// <summary>The default options: no rights, no preferred formats, 512px tiles for untiled sources, everything offered.</summary>
    public static InfoOptions Default { get; } = new();

    /// <summary>3.0 <c>rights</c> (a Creative Commons or RightsStatements.org URI); written as 2.1's <c>license</c>. Null: omitted.</summary>
    public string? Rights { get; init; }

    /// <summary>2.1 <c>attribution</c> text. Null: omitted. (3.0 moved attribution to the Presentation API's requiredStatement.)</summary>
    public string? Attribution { get; init; }

    /// <summary>3.0 <c>preferredFormats</c>, in order of preference. Empty: omitted.</summary>
    public IReadOnlyList<ImageFormat> PreferredFormats { get; init; } = [];

    /// <summary>The tile size advertised when the source is not tiled (it is then cut on the fly). Default 512.</summary>
    public int DefaultTileSize { get; init; } = 512;

    /// <summary>The smallest side a <c>sizes</c> entry may have (smaller halvings are left out). Default 64.</summary>
    public int MinimumSizeSide { get; init; } = 64;

    /// <summary>What the service offers; drives <c>profile</c> and the extra features, formats and qualities.</summary>
    public ServiceProfile Profile { get; init; } = ServiceProfile.Default;
}
