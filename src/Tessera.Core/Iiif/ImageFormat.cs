namespace Tessera.Core.Iiif;

/// <summary>The output formats (Image API 3.0 §4.5). The enum name is not the extension: see <see cref="ImageFormats"/>.</summary>
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
