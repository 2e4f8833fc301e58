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
}
