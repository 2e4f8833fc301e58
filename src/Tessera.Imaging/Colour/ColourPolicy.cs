namespace Tessera.Imaging.Colour;

/// <summary>
/// What the server does with a source whose ICC profile is not sRGB (Adobe RGB, eciRGB, ProPhoto, a camera's): the
/// operator's choice (<c>--colour</c>, settings key <c>Colour</c>). Sources without a profile or with an sRGB one are
/// sRGB either way and are sent as stored.
/// </summary>
public enum ColourPolicy
{
    /// <summary>
    /// Output is sRGB: the source's pixels go through a LittleCMS transform built once per profile and reused by every
    /// request (libvips' own <c>icc_transform</c> only for what that transform cannot take: 16-bit, unusual band
    /// layouts, profiles LittleCMS refuses). Stored tiles are decoded, transformed and encoded.
    /// </summary>
    Convert,

    /// <summary>
    /// Output keeps the source's pixels and carries its profile (JPEG APP2 markers, the PNG, WebP and TIFF equivalents),
    /// so browsers colour-manage; stored tiles pass through with the profile added, as iipsrv does. Gray and bitonal
    /// qualities, GIF, JPEG 2000 and AVIF output, CMYK and 16-bit sources are converted to sRGB as with <see cref="Convert"/>.
    /// </summary>
    Embed,
}
