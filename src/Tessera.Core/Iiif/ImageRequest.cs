using Tessera.Core.Compliance;

namespace Tessera.Core.Iiif;

/// <summary>
/// A syntactically valid image request, before it meets the source: "{identifier}/{region}/{size}/{rotation}/{quality}.{format}"
/// (Image API 3.0 §2.1). Made by <see cref="ImageRequestParser"/>; resolved by <c>ImagePlanner</c>.
/// </summary>
/// <param name="Version">The API version the URI was written for.</param>
/// <param name="Identifier">The identifier, already percent-decoded.</param>
/// <param name="Region">The region parameter.</param>
/// <param name="Size">The size parameter.</param>
/// <param name="Rotation">The rotation parameter.</param>
/// <param name="Quality">The quality parameter.</param>
/// <param name="Format">The format parameter.</param>
public sealed record ImageRequest(
    ApiVersion Version,
    string Identifier,
    RegionSpec Region,
    SizeSpec Size,
    RotationSpec Rotation,
    Quality Quality,
    ImageFormat Format)
{
    /// <summary>
    /// The named features this request needs by its syntax alone. Upscaling in 2.1 (<c>sizeAboveFull</c>) depends on the
    /// source, so the planner checks it.
    /// </summary>
    public IReadOnlyList<IiifFeature> RequiredFeatures
    {
        get
        {
            var features = new List<IiifFeature>(4);
            switch (Region.Kind)
            {
                case RegionKind.Pixels:
                    features.Add(IiifFeature.RegionByPx);
                    break;
                case RegionKind.Percent:
                    features.Add(IiifFeature.RegionByPct);
                    break;
                case RegionKind.Square:
                    features.Add(IiifFeature.RegionSquare);
                    break;
            }

            switch (Size.Kind)
            {
                case SizeKind.Width:
                    features.Add(IiifFeature.SizeByW);
                    break;
                case SizeKind.Height:
                    features.Add(IiifFeature.SizeByH);
                    break;
                case SizeKind.Percent:
                    features.Add(IiifFeature.SizeByPct);
                    break;
                case SizeKind.Exact:
                    features.Add(IiifFeature.SizeByWh);
                    break;
                case SizeKind.BestFit:
                    features.Add(IiifFeature.SizeByConfinedWh);
                    break;
            }

            if (Size.Upscale)
            {
                features.Add(IiifFeature.SizeUpscaling);
            }

            if (Rotation.Mirrored)
            {
                features.Add(IiifFeature.Mirroring);
            }

            if (!Rotation.IsMultipleOf90)
            {
                features.Add(IiifFeature.RotationArbitrary);
            }
            else if (Rotation.NormalizedDegrees != 0)
            {
                features.Add(IiifFeature.RotationBy90s);
            }

            return features;
        }
    }

    /// <summary>The request path after the identifier, as parsed (not canonical).</summary>
    public override string ToString() => $"{Region}/{Size}/{Rotation}/{Quality.Name()}.{Format.Extension()}";
}
