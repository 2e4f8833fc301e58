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

            if (format == ImageFormat.Pdf)
            {
                return PdfWrapper.Wrap(JpegIccMarkers.Embed(Encode(image, ImageFormat.Jpg, options), embed), image.Width, image.Height, JpegBands(image));
            }

            using var tagged = image.WithProfileOnly(embed);
            return format switch
            {
                ImageFormat.Png => tagged.SaveToBuffer("pngsave_buffer", ("compression", options.PngCompression), ("strip", false)),
                ImageFormat.Webp => tagged.SaveToBuffer("webpsave_buffer", ("Q", options.WebpQuality), ("strip", false)),
                ImageFormat.Tif => tagged.SaveToBuffer("tiffsave_buffer", ("compression", "deflate"), ("strip", false)),
                ImageFormat.Jxl => tagged.SaveToBuffer("jxlsave_buffer", ("Q", JxlQuality), ("effort", JxlEffort), ("strip", false)),
                _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Expected jpg, png, webp, tif, jxl or pdf to carry an ICC profile"),
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
            ImageFormat.Jxl => image.SaveToBuffer("jxlsave_buffer", ("Q", JxlQuality), ("effort", JxlEffort), ("strip", true)),

            // A page wrapping the JPEG as it is (DCTDecode): the JPEG settings are the PDF's.
            ImageFormat.Pdf => PdfWrapper.Wrap(Encode(image, ImageFormat.Jpg, options), image.Width, image.Height, JpegBands(image)),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
        };
    }

    /// <summary>
    /// libjxl's quality (libvips maps it to a Butteraugli distance; 75 is distance 2.35, libvips' default): fixed rather
    /// than a setting, as JPEG XL out is asked for rarely and mainly to try the format.
    /// </summary>
    private const int JxlQuality = 75;

    /// <summary>libjxl's effort 1..9 (default 7): 3 encodes a 1000 px image several times faster for a few percent in size.</summary>
    private const int JxlEffort = 3;

    /// <summary>The components of the JPEG libjpeg writes for <paramref name="image"/> (alpha is flattened away before).</summary>
    private static int JpegBands(VipsImage image) => image.Bands - (image.HasAlpha ? 1 : 0) >= 3 ? 3 : 1;
}
