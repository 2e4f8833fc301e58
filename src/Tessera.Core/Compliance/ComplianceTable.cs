using Tessera.Core.Iiif;

namespace Tessera.Core.Compliance;

/// <summary>
/// The compliance documents as data (Image API 3.0 compliance §3–4, 2.1 compliance §3–4): which features, formats and
/// qualities each level requires. This one table drives info.json (<c>extraFeatures</c>/<c>extraFormats</c>/
/// <c>extraQualities</c> in 3.0, the profile object's <c>supports</c>/<c>formats</c>/<c>qualities</c> in 2.1) and
/// request validation (<see cref="ServiceProfile.Check"/>).
/// </summary>
public static class ComplianceTable
{
    private const int Opt = FeatureDefinition.Optional;
    private const int No = FeatureDefinition.Absent;

    /// <summary>Every feature, alphabetical by spec name as the spec tables list them.</summary>
    public static IReadOnlyList<FeatureDefinition> Features { get; } =
    [
        new(IiifFeature.BaseUriRedirect, "baseUriRedirect", 1, 1),
        new(IiifFeature.CanonicalLinkHeader, "canonicalLinkHeader", Opt, Opt),
        new(IiifFeature.Cors, "cors", 1, 1),
        new(IiifFeature.JsonldMediaType, "jsonldMediaType", 1, 1),
        new(IiifFeature.Mirroring, "mirroring", Opt, Opt),
        new(IiifFeature.ProfileLinkHeader, "profileLinkHeader", Opt, Opt),
        new(IiifFeature.RegionByPct, "regionByPct", 2, 2),
        new(IiifFeature.RegionByPx, "regionByPx", 1, 1),
        new(IiifFeature.RegionSquare, "regionSquare", Opt, 1),
        new(IiifFeature.RotationArbitrary, "rotationArbitrary", Opt, Opt),
        new(IiifFeature.RotationBy90s, "rotationBy90s", 2, 2),
        new(IiifFeature.SizeAboveFull, "sizeAboveFull", Opt, No),
        new(IiifFeature.SizeByConfinedWh, "sizeByConfinedWh", 2, 2),
        new(IiifFeature.SizeByDistortedWh, "sizeByDistortedWh", 2, No),
        new(IiifFeature.SizeByH, "sizeByH", 1, 1),
        new(IiifFeature.SizeByPct, "sizeByPct", 1, 2),
        new(IiifFeature.SizeByW, "sizeByW", 1, 1),
        new(IiifFeature.SizeByWh, "sizeByWh", 2, 2),
        new(IiifFeature.SizeUpscaling, "sizeUpscaling", No, Opt),
    ];

    /// <summary>The definition of one feature.</summary>
    public static FeatureDefinition Get(IiifFeature feature) => Features.First(f => f.Feature == feature);

    /// <summary>The spec name of a feature.</summary>
    public static string Name(this IiifFeature feature) => Get(feature).Name;

    /// <summary>The lowest level requiring the feature in a version (see <see cref="FeatureDefinition"/> constants).</summary>
    public static int RequiredLevel(this IiifFeature feature, ApiVersion version)
    {
        var definition = Get(feature);
        return version == ApiVersion.V2 ? definition.V2Level : definition.V3Level;
    }

    /// <summary>True when the feature exists in that version.</summary>
    public static bool ExistsIn(this IiifFeature feature, ApiVersion version) => feature.RequiredLevel(version) != FeatureDefinition.Absent;

    /// <summary>True when the level's profile document already includes the feature (so it is not "extra").</summary>
    public static bool IsRequiredAt(this IiifFeature feature, ApiVersion version, int level)
    {
        var required = feature.RequiredLevel(version);
        return required != FeatureDefinition.Absent && required <= level;
    }

    /// <summary>Formats a level's profile already includes: jpg from level 0, png from level 2 (both versions).</summary>
    public static bool IsRequiredAt(this ImageFormat format, int level) =>
        format == ImageFormat.Jpg || (format == ImageFormat.Png && level >= 2);

    /// <summary>
    /// Qualities a level's profile already includes. 3.0 §4.4: "services that make additional qualities beyond
    /// <c>default</c> available MUST list those qualities in the extraQualities property", so in 3.0 only <c>default</c>
    /// counts; 2.1's level 2 requires all four.
    /// </summary>
    public static bool IsRequiredAt(this Quality quality, ApiVersion version, int level) =>
        quality == Quality.Default || (version == ApiVersion.V2 && level >= 2);

    /// <summary>The profile URI of a level: <c>http://iiif.io/api/image/{major}/level{n}.json</c>.</summary>
    public static string ProfileUri(ApiVersion version, int level) => $"http://iiif.io/api/image/{(int)version}/level{level}.json";
}
