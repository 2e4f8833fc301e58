namespace Tessera.Core.Compliance;

/// <summary>
/// The named features of Image API 3.0 §5.7 (<c>extraFeatures</c>) and 2.1 §5.3 (<c>supports</c>). The spec's names
/// are in <see cref="ComplianceTable"/>; two are 2.1 only and one is 3.0 only.
/// </summary>
public enum IiifFeature
{
    BaseUriRedirect,
    CanonicalLinkHeader,
    Cors,
    JsonldMediaType,
    Mirroring,
    ProfileLinkHeader,
    RegionByPct,
    RegionByPx,
    RegionSquare,
    RotationArbitrary,
    RotationBy90s,
    SizeByConfinedWh,
    SizeByH,
    SizeByPct,
    SizeByW,
    SizeByWh,

    /// <summary>3.0 only: "Image sizes prefixed with ^ may be requested."</summary>
    SizeUpscaling,

    /// <summary>2.1 only: "Size of images may be requested larger than the full size."</summary>
    SizeAboveFull,

    /// <summary>2.1 only: "w,h, including sizes that would distort the image."</summary>
    SizeByDistortedWh,
}
