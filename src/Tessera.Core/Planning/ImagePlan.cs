using Tessera.Core.Iiif;

namespace Tessera.Core.Planning;

/// <summary>
/// What to render, resolved against the source: the only input of the renderer. Immutable; its canonical form is the
/// derivative cache key and the <c>Link: rel="canonical"</c> value, so requests that mean the same image share one.
/// </summary>
/// <param name="Identifier">The image identifier (decoded).</param>
/// <param name="Region">The region in full-resolution, displayed (EXIF-oriented) pixels, clipped to the image.</param>
/// <param name="Width">Output width before rotation.</param>
/// <param name="Height">Output height before rotation.</param>
/// <param name="Rotation">Clockwise degrees in [0, 360).</param>
/// <param name="Mirror">Mirror horizontally before rotating (the <c>!</c> prefix).</param>
/// <param name="Quality">The requested quality.</param>
/// <param name="Format">The requested output format.</param>
/// <param name="Level">The pyramid level (or shrink-on-load level) to read from: the smallest that still covers the output.</param>
/// <param name="IsFullRegion">True when the region is the whole image.</param>
/// <param name="Source">The source facts the plan was made from.</param>
public sealed record ImagePlan(
    string Identifier,
    PixelRect Region,
    int Width,
    int Height,
    double Rotation,
    bool Mirror,
    Quality Quality,
    ImageFormat Format,
    PyramidLevel Level,
    bool IsFullRegion,
    SourceInfo Source)
{
    /// <summary>The limits the plan was made under; <c>max</c> in a canonical path means "fitted to these".</summary>
    public ServerLimits Limits { get; init; } = ServerLimits.Default;

    /// <summary>
    /// A JPEG quality (1..100) asked for by the request rather than the server's, or null (every IIIF request): IIP's
    /// <c>QLT</c>, which iipsrv honours for every JPEG it sends. Set, it keeps a stored tile from being sent as it is
    /// (the tile is decoded and encoded at this quality) and is part of <see cref="CacheKey"/>.
    /// </summary>
    public int? JpegQuality { get; init; }

    /// <summary>
    /// Rectangles to black out before any scaling (an access rule's <c>redact</c>), in full-resolution displayed pixels,
    /// clipped to the image: the whole image's boxes, not only those in <see cref="Region"/>, so every derivative of an
    /// image is keyed by the same redaction. Empty (the default) for images without.
    /// </summary>
    public IReadOnlyList<PixelRect> Redactions { get; init; } = [];

    /// <summary>True when the output is larger than the region on either axis.</summary>
    public bool IsUpscaled => Width > Region.Width || Height > Region.Height;

    /// <summary>
    /// The canonical <c>{region}/{size}/{rotation}/{quality}.{format}</c> (no identifier) for a version: the value of
    /// <c>Link: rel="canonical"</c>. 3.0 §4.8: region "full if the full image is requested, otherwise the x,y,w,h
    /// syntax"; size "max if the maximum size without upscaling is requested, ^max if the maximum upscaled size is
    /// requested, otherwise w,h if the size requested does not require upscaling, or ^w,h"; rotation "! if the image is
    /// mirrored, followed by an integer if possible"; quality "default if the server's default quality is requested".
    /// 2.1 §4.7: size "full if the default size is requested, the w, syntax for images that should be scaled maintaining
    /// the aspect ratio, and the w,h syntax for explicit sizes that change the aspect ratio".
    /// </summary>
    public string CanonicalPath(ApiVersion version) =>
        $"{CanonicalRegion}/{CanonicalSize(version)}/{CanonicalRotation}/{Quality.Name()}.{Format.Extension()}";

    /// <summary>
    /// A version-independent key for the derivative cache: <c>{full|x,y,w,h}/{w},{h}/{rotation}/{quality}.{format}</c>,
    /// so <c>full/max</c> and <c>0,0,W,H/max</c>, or a 2.1 and a 3.0 request for the same pixels, share one entry.
    /// Qualities are kept as requested (<c>default</c> and <c>color</c> are two keys even for a colour source): simpler
    /// than knowing the source's colour model here, and the cost is one duplicate derivative at most.
    /// The identifier is not part of it; the cache prefixes it.
    /// </summary>
    public string CacheKey => JpegQuality is { } q
        ? $"{CanonicalRegion}/{Width},{Height}/{CanonicalRotation}/{Quality.Name()}.{Format.Extension()};q={q}"
        : $"{CanonicalRegion}/{Width},{Height}/{CanonicalRotation}/{Quality.Name()}.{Format.Extension()}";

    private string CanonicalRegion => IsFullRegion ? "full" : Region.ToString();

    private string CanonicalRotation => (Mirror ? "!" : "") + IiifNumber.Format(Rotation >= 360 ? 0 : Rotation);

    private string CanonicalSize(ApiVersion version)
    {
        var (rw, rh) = (Region.Width, Region.Height);
        if (version == ApiVersion.V2)
        {
            if (Width == rw && Height == rh)
            {
                return "full";
            }

            return Height == SizeMath.HeightForWidth(Width, rw, rh) ? $"{Width}," : $"{Width},{Height}";
        }

        if ((Width, Height) == SizeMath.FitWithin(rw, rh, Limits, upscale: false))
        {
            return "max";
        }

        if (IsUpscaled && Limits.UpscaleCaretMaxToLimits && (Width, Height) == SizeMath.FitWithin(rw, rh, Limits, upscale: true))
        {
            return "^max";
        }

        return IsUpscaled ? $"^{Width},{Height}" : $"{Width},{Height}";
    }
}
