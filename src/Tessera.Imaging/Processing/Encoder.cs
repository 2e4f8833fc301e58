using Tessera.Core.Iiif;
using Tessera.Imaging.Rendering;
using Tessera.Vips;

namespace Tessera.Imaging.Processing;

/// <summary>Encodes an image Processing has changed after the pipeline (a dithered halftone) with the renderer's settings.</summary>
internal static class Encoder
{
    public static byte[] Encode(VipsImage image, ImageFormat format, RenderOptions options) => format switch
    {
        ImageFormat.Jpg => image.SaveToBuffer("jpegsave_buffer", ("Q", options.JpegQuality), ("strip", true)),
        ImageFormat.Png => image.SaveToBuffer("pngsave_buffer", ("compression", options.PngCompression), ("strip", true)),
        ImageFormat.Webp => image.SaveToBuffer("webpsave_buffer", ("Q", options.WebpQuality), ("strip", true)),
        ImageFormat.Tif => image.SaveToBuffer("tiffsave_buffer", ("compression", "deflate"), ("strip", true)),
        ImageFormat.Gif => image.SaveToBuffer("gifsave_buffer", ("strip", true)),
        ImageFormat.Jp2 => image.SaveToBuffer("jp2ksave_buffer", ("Q", options.Jp2Quality), ("strip", true)),
        ImageFormat.Avif => image.SaveToBuffer("heifsave_buffer", ("compression", "av1"), ("Q", options.AvifQuality), ("effort", 2), ("bitdepth", 8), ("strip", true)),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };
}
