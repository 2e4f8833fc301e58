namespace Tessera.Core.Iiif;

/// <summary>The output formats (Image API 3.0 §4.5).</summary>
public enum ImageFormat
{
    Jpg,
    Png,
    Webp,
    Tif,
    Gif,
    Jp2,
    Avif,

    /// <summary>JPEG XL (ISO/IEC 18181).</summary>
    Jxl,

    /// <summary>A one-page PDF wrapping the JPEG (the validator's optional <c>format_pdf</c>).</summary>
    Pdf,
}
