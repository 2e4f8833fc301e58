namespace Tessera.Core.Compliance;

/// <summary>One row of the compliance tables: a feature's spec name and the lowest level that requires it per version.</summary>
/// <param name="Feature">The feature.</param>
/// <param name="Name">The spec's name, as written in <c>extraFeatures</c>/<c>supports</c>.</param>
/// <param name="V2Level">Lowest 2.1 level that requires it; <see cref="Optional"/> if none; <see cref="Absent"/> if 2.1 lacks it.</param>
/// <param name="V3Level">Lowest 3.0 level that requires it; <see cref="Optional"/> if none; <see cref="Absent"/> if 3.0 lacks it.</param>
public sealed record FeatureDefinition(IiifFeature Feature, string Name, int V2Level, int V3Level)
{
    /// <summary>The feature exists in the version but no level requires it.</summary>
    public const int Optional = 3;

    /// <summary>The feature does not exist in the version.</summary>
    public const int Absent = -1;
}
