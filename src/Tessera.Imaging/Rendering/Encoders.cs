using Tessera.Core.Iiif;
using Tessera.Imaging.Colour;
using Tessera.Vips;

namespace Tessera.Imaging.Rendering;

/// <summary>The encoder settings of every output format, in one place for the renderer and the batch processors.</summary>
internal static class Encoders
{
    /// <summary>
    /// Encodes an 8-bit image, metadata stripped; with <paramref name="embed"/>, carrying that ICC profile and nothing
    /// else (JPEG: APP2 markers added to the stripped stream; PNG, WebP, TIFF: the saver writes the profile of an image
    /// that has no other metadata).
    /// </summary>
    public static byte[] Encode(VipsImage image, ImageFormat format, RenderOptions options, byte[]? embed = null)
    {
        if (embed is not null)
        {
            if (format == ImageFormat.Jpg)
            {
                return JpegIccMarkers.Embed(Encode(image, format, options), embed);
            }

            using var tagged = image.WithProfileOnly(embed);
            return format switch
            {
                ImageFormat.Png => tagged.SaveToBuffer("pngsave_buffer", ("compression", options.PngCompression), ("strip", false)),
                ImageFormat.Webp => tagged.SaveToBuffer("webpsave_buffer", ("Q", options.WebpQuality), ("strip", false)),
                ImageFormat.Tif => tagged.SaveToBuffer("tiffsave_buffer", ("compression", "deflate"), ("strip", false)),
                _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Expected jpg, png, webp or tif to carry an ICC profile"),
            };
        }

        return format switch
        {
            // 4:2:0 chroma always: libvips would drop subsampling at Q >= 90, doubling chroma data for little visible gain.
            ImageFormat.Jpg => image.SaveToBuffer("jpegsave_buffer", ("Q", options.JpegQuality), ("subsample_mode", "on"), ("strip", true)),
            ImageFormat.Png => image.SaveToBuffer("pngsave_buffer", ("compression", options.PngCompression), ("strip", true)),
            ImageFormat.Webp => image.SaveToBuffer("webpsave_buffer", ("Q", options.WebpQuality), ("strip", true)),
            ImageFormat.Tif => image.SaveToBuffer("tiffsave_buffer", ("compression", "deflate"), ("strip", true)),
            ImageFormat.Gif => image.SaveToBuffer("gifsave_buffer", ("strip", true)),
            ImageFormat.Jp2 => image.SaveToBuffer("jp2ksave_buffer", ("Q", options.Jp2Quality), ("strip", true)),
            ImageFormat.Avif => image.SaveToBuffer("heifsave_buffer", ("compression", "av1"), ("Q", options.AvifQuality), ("effort", 2), ("bitdepth", 8), ("strip", true)),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
        };
    }
}
