namespace Tessera.Core.Iiif;

/// <summary>
/// The format parameter's extensions and media types (Image API 3.0 §4.5): "The format of the returned image is
/// expressed as a suffix, mirroring common filename extensions, at the end of the URI."
/// </summary>
public static class ImageFormats
{
    /// <summary>Every format Tessera can produce, in the order info.json lists them.</summary>
    public static IReadOnlyList<ImageFormat> All { get; } =
        [ImageFormat.Jpg, ImageFormat.Png, ImageFormat.Webp, ImageFormat.Tif, ImageFormat.Gif, ImageFormat.Jp2, ImageFormat.Avif, ImageFormat.Jxl, ImageFormat.Pdf];

    /// <summary>The URI extension: <c>jpg</c>, <c>png</c>, ...</summary>
    public static string Extension(this ImageFormat format) => format switch
    {
        ImageFormat.Jpg => "jpg",
        ImageFormat.Png => "png",
        ImageFormat.Webp => "webp",
        ImageFormat.Tif => "tif",
        ImageFormat.Gif => "gif",
        ImageFormat.Jp2 => "jp2",
        ImageFormat.Avif => "avif",
        ImageFormat.Jxl => "jxl",
        ImageFormat.Pdf => "pdf",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown image format"),
    };

    /// <summary>The media type for the <c>Content-Type</c> header.</summary>
    public static string MediaType(this ImageFormat format) => format switch
    {
        ImageFormat.Jpg => "image/jpeg",
        ImageFormat.Png => "image/png",
        ImageFormat.Webp => "image/webp",
        ImageFormat.Tif => "image/tiff",
        ImageFormat.Gif => "image/gif",
        ImageFormat.Jp2 => "image/jp2",
        ImageFormat.Avif => "image/avif",
        ImageFormat.Jxl => "image/jxl",
        ImageFormat.Pdf => "application/pdf",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown image format"),
    };

    /// <summary>Parses an extension exactly as the spec spells it (lower case; <c>jpeg</c> and <c>JPG</c> are not formats).</summary>
    public static bool TryParse(string? extension, out ImageFormat format)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.Extension(), extension, StringComparison.Ordinal))
            {
                format = candidate;
                return true;
            }
        }

        format = default;
        return false;
    }
}
