namespace Tessera.Core.Tiles;

/// <summary>
/// A tile of a legacy pyramid as an ordinary IIIF request: the region of the full image it covers and the size it is
/// scaled to (<c>{X},{Y},{Width},{Height}/{OutputWidth},{OutputHeight}/0/default.jpg</c>).
/// </summary>
public readonly record struct LegacyTile(long X, long Y, long Width, long Height, int OutputWidth, int OutputHeight)
{
    /// <summary>
    /// Whether the output is larger than the region on either side (an IIP <c>CVT</c> view may scale up, as iipsrv
    /// does): the IIIF 3.0 size then carries <c>^</c>, which the server's limits still bound.
    /// </summary>
    public bool Upscale { get; init; }

    public string Region => $"{X},{Y},{Width},{Height}";

    public string Size => $"{(Upscale ? "^" : "")}{OutputWidth},{OutputHeight}";
}
