using Tessera.Core.Iiif;

namespace Tessera.Core.Compliance;

/// <summary>
/// What a Tessera service offers: its claimed level and the features, formats and qualities switched on. The default,
/// <see cref="Default"/>, is level 2 with everything. A server may switch a feature off; requests that need it then get
/// 501 ("The server received a valid IIIF request that is not implemented", 3.0 §7.3), and info.json stops advertising it.
/// </summary>
/// <param name="Level">The compliance level claimed in <c>profile</c> (0..2).</param>
/// <param name="Features">The features offered.</param>
/// <param name="Formats">The formats offered.</param>
/// <param name="Qualities">The qualities offered.</param>
public sealed record ServiceProfile(int Level, IReadOnlySet<IiifFeature> Features, IReadOnlyList<ImageFormat> Formats, IReadOnlyList<Quality> Qualities)
{
    /// <summary>Level 2 plus every feature, format and quality.</summary>
    public static ServiceProfile Default { get; } = new(
        2,
        new HashSet<IiifFeature>(Enum.GetValues<IiifFeature>()),
        ImageFormats.All,
        global::Tessera.Core.Iiif.Qualities.All);

    /// <summary>A copy with some features switched off.</summary>
    public ServiceProfile Without(params IiifFeature[] features)
    {
        var remaining = new HashSet<IiifFeature>(Features);
        remaining.ExceptWith(features);
        return this with { Features = remaining };
    }

    /// <summary>True when the feature is offered.</summary>
    public bool Supports(IiifFeature feature) => Features.Contains(feature);

    /// <summary>
    /// Checks a parsed request against what is offered: a switched-off feature is 501; a quality or format not offered
    /// is 400 ("A request for an image with an unsupported quality value SHOULD return a 400"; same for format, §4.4–4.5).
    /// </summary>
    public IiifError? Check(ImageRequest request)
    {
        foreach (var feature in request.RequiredFeatures)
        {
            if (!Supports(feature))
            {
                var parameter = feature switch
                {
                    IiifFeature.RegionByPct or IiifFeature.RegionByPx or IiifFeature.RegionSquare => "region",
                    IiifFeature.Mirroring or IiifFeature.RotationArbitrary or IiifFeature.RotationBy90s => "rotation",
                    _ => "size",
                };
                return IiifError.NotImplemented(parameter, $"The feature {feature.Name()} is not offered by this service");
            }
        }

        if (!Qualities.Contains(request.Quality))
        {
            return IiifError.BadRequest("quality", $"Expected one of {string.Join(", ", Qualities.Select(q => q.Name()))} for quality but received \"{request.Quality.Name()}\"");
        }

        if (!Formats.Contains(request.Format))
        {
            return IiifError.BadRequest("format", $"Expected one of {string.Join(", ", Formats.Select(f => f.Extension()))} for format but received \"{request.Format.Extension()}\"");
        }

        return null;
    }
}
