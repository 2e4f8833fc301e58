using System.Net;
using Tessera.Core.Iiif;
using Tessera.Vips;

namespace Tessera.Imaging.Rendering;

/// <summary>
/// Draws a <see cref="Watermark"/> on an encoded image: decode, blend the mark with libvips (<c>text</c>, <c>embed</c>,
/// <c>ifthenelse</c> with blending), encode again with the server's encoder settings. It runs after the render, on
/// whatever path made the bytes (stored tile, cache, render), so no render path can skip it; the caller caches the
/// result under its own key.
/// </summary>
public static class Watermarker
{
    /// <summary>The image with the mark drawn, in the same format.</summary>
    /// <exception cref="VipsException">libvips could not decode the image, draw the mark or encode the result.</exception>
    public static RenderedImage Apply(RenderedImage image, ImageFormat format, Watermark watermark, RenderOptions options)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(watermark);
        ArgumentNullException.ThrowIfNull(options);
        using var decoded = VipsImage.NewFromBuffer(image.Data);
        var width = Math.Max(1, (int)Math.Round(decoded.Width * watermark.Size));
        using var marked = watermark.Text is { Length: > 0 } text
            ? DrawText(decoded, text, width, watermark)
            : DrawImage(decoded, watermark.ImagePath!, width, watermark);
        var data = Encoders.Encode(marked, format, options);
        return image with { Data = data, Width = marked.Width, Height = marked.Height, Origin = RenderOrigin.Rendered };
    }

    private static VipsImage DrawText(VipsImage image, string text, int width, Watermark watermark)
    {
        // Rendered once at 72 dpi to measure, then at the dpi that makes it the wanted width (and no taller than the image).
        var markup = WebUtility.HtmlEncode(text);
        int dpi;
        using (var probe = VipsOperation.Image("text", ("text", markup), ("font", "DejaVu Sans Bold"), ("dpi", 72)))
        {
            var scale = Math.Min((double)width / Math.Max(1, probe.Width), (double)image.Height / Math.Max(1, probe.Height));
            dpi = Math.Clamp((int)(72 * scale), 1, 4000);
        }

        using var mask = VipsOperation.Image("text", ("text", markup), ("font", "DejaVu Sans Bold"), ("dpi", dpi));
        var (x, y) = Place(image.Width, image.Height, mask.Width, mask.Height, watermark.Position);
        var shadowOffset = Math.Max(1, mask.Height / 16);
        using var shadow = Blend(image, mask, x + shadowOffset, y + shadowOffset, watermark.Opacity, value: 0);
        return Blend(shadow, mask, x, y, watermark.Opacity, value: 255);
    }

    private static VipsImage DrawImage(VipsImage image, string path, int width, Watermark watermark)
    {
        using var loaded = VipsImage.NewFromFile(path);
        var scale = Math.Min((double)width / loaded.Width, (double)image.Height / loaded.Height);
        using var sized = loaded.Resize(scale, scale);
        var (x, y) = Place(image.Width, image.Height, sized.Width, sized.Height, watermark.Position);
        var colourBands = sized.HasAlpha ? sized.Bands - 1 : sized.Bands;
        using var alpha = sized.HasAlpha ? sized.ExtractBand(colourBands) : Constant(sized, 255);
        using var colour = sized.ExtractBand(0, colourBands);
        using var matched = MatchBands(colour, image);
        using var placedMask = Placed(alpha, x, y, image, watermark.Opacity);
        using var placed = matched.Call("embed", ("x", x), ("y", y), ("width", image.Width), ("height", image.Height));
        return VipsOperation.Image("ifthenelse", ("cond", placedMask), ("in1", placed), ("in2", image), ("blend", true));
    }

    /// <summary>The image with <paramref name="mask"/> (0..255) laid at x, y, blending towards a grey <paramref name="value"/>.</summary>
    private static VipsImage Blend(VipsImage image, VipsImage mask, int x, int y, double opacity, int value)
    {
        using var placed = Placed(mask, x, y, image, opacity);
        using var constant = Constant(image, value);
        return VipsOperation.Image("ifthenelse", ("cond", placed), ("in1", constant), ("in2", image), ("blend", true));
    }

    /// <summary>A one-band mask the size of <paramref name="like"/>: <paramref name="mask"/> at x, y scaled by opacity, black elsewhere.</summary>
    private static VipsImage Placed(VipsImage mask, int x, int y, VipsImage like, double opacity)
    {
        using var embedded = mask.Call("embed", ("x", x), ("y", y), ("width", like.Width), ("height", like.Height));
        using var scaled = embedded.Call("linear", ("a", new[] { opacity }), ("b", new[] { 0.0 }));
        return scaled.Cast(BandFormat.UChar);
    }

    /// <summary>A one-band image of <paramref name="like"/>'s size, every pixel <paramref name="value"/>.</summary>
    private static VipsImage Constant(VipsImage like, int value)
    {
        using var black = VipsOperation.Image("black", ("width", like.Width), ("height", like.Height));
        using var valued = black.Call("linear", ("a", new[] { 1.0 }), ("b", new[] { (double)value }));
        return valued.Cast(BandFormat.UChar);
    }

    /// <summary>The mark's colour bands made to blend with the image's: grey for a grey image, an opaque alpha added where the image has one.</summary>
    private static VipsImage MatchBands(VipsImage colour, VipsImage image)
    {
        var imageColourBands = image.HasAlpha ? image.Bands - 1 : image.Bands;
        using var bands = colour.Bands == imageColourBands ? colour.Share()
            : imageColourBands == 1 ? colour.Colourspace("b-w")
            : colour.Bands == 1 ? VipsOperation.Image("bandjoin", ("in", new[] { colour, colour, colour }))
            : colour.ExtractBand(0, imageColourBands);
        using var uchar = bands.Cast(BandFormat.UChar);
        return image.HasAlpha ? uchar.Call("bandjoin_const", ("c", new[] { 255.0 })) : uchar.Share();
    }

    private static (int X, int Y) Place(int width, int height, int markWidth, int markHeight, WatermarkPosition position)
    {
        var margin = width / 50;
        var right = Math.Max(0, width - markWidth - margin);
        var bottom = Math.Max(0, height - markHeight - margin);
        return position switch
        {
            WatermarkPosition.TopLeft => (margin, margin),
            WatermarkPosition.TopRight => (right, margin),
            WatermarkPosition.BottomLeft => (margin, bottom),
            WatermarkPosition.Centre => (Math.Max(0, (width - markWidth) / 2), Math.Max(0, (height - markHeight) / 2)),
            _ => (right, bottom),
        };
    }
}
