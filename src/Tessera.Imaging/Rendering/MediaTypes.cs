using Tessera.Core.Iiif;

namespace Tessera.Imaging.Rendering;

/// <summary>The media type sent for each output format.</summary>
public static class MediaTypes
{
    public static string Of(ImageFormat format) => format switch
    {
        ImageFormat.Jpg => "image/jpeg",
        ImageFormat.Png => "image/png",
        ImageFormat.Webp => "image/webp",
        ImageFormat.Tif => "image/tiff",
        ImageFormat.Gif => "image/gif",
        ImageFormat.Jp2 => "image/jp2",
        ImageFormat.Avif => "image/avif",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };
}
