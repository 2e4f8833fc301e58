using Tessera.Core.Planning;
using Tessera.Imaging.Sources;
using Tessera.Vips;

namespace Tessera.Imaging.Rendering;

/// <summary>
/// Blacks out a plan's <see cref="ImagePlan.Redactions"/> in the pixels of the level a render reads, before anything
/// scales them, so no resampling can carry what they hide into the output. At full resolution a box covers exactly its
/// pixels. A reduced level's pixel mixes source pixels from both sides of a box's edge (how far depends on how the level
/// was made), so there a box is widened to cover every level pixel that may hold some of it: two level pixels for a
/// pyramid level (box, bilinear and most Lanczos-made pyramids), four for a JPEG 2000 reduction (the 9/7 wavelet's
/// reach), and for a JPEG shrunk on load the 16-pixel blocks it touches (each reduced block comes from one block's
/// coefficients) and one pixel more (the chroma upsampling's).
/// </summary>
internal static class Redactor
{
    /// <summary>
    /// The plan's boxes in a <paramref name="window"/> of a level of <paramref name="levelWidth"/> ×
    /// <paramref name="levelHeight"/> pixels (stored orientation), relative to the window's top-left corner and clipped
    /// to it; empty when none reaches the window.
    /// </summary>
    public static IReadOnlyList<PixelRect> InWindow(ImagePlan plan, SourceDescription source, int levelWidth, int levelHeight, PixelRect window)
    {
        if (plan.Redactions.Count == 0)
        {
            // Nothing allocated for the images without redactions (all of them, on most servers).
            return [];
        }

        var boxes = new List<PixelRect>();

        var info = source.Info;
        int storedWidth = info.SwapsAxes ? info.Height : info.Width, storedHeight = info.SwapsAxes ? info.Width : info.Height;
        var reduced = levelWidth < storedWidth || levelHeight < storedHeight;
        var margin = !reduced ? 0 : source.Loader switch
        {
            SourceLoader.Jpeg => 1,
            SourceLoader.Jpeg2000 => 4,
            _ => 2,
        };
        var blocks = reduced && source.Loader == SourceLoader.Jpeg;
        foreach (var box in plan.Redactions)
        {
            var stored = Orientation.ToStored(box, info);
            int x0 = stored.X, y0 = stored.Y, x1 = stored.Right, y1 = stored.Bottom;
            if (blocks)
            {
                (x0, y0, x1, y1) = (x0 / 16 * 16, y0 / 16 * 16, (x1 + 15) / 16 * 16, (y1 + 15) / 16 * 16);
            }

            double sx = (double)levelWidth / storedWidth, sy = (double)levelHeight / storedHeight;
            var left = Math.Max((int)Math.Floor(x0 * sx) - margin, window.X);
            var top = Math.Max((int)Math.Floor(y0 * sy) - margin, window.Y);
            var right = Math.Min((int)Math.Ceiling(x1 * sx) + margin, window.Right);
            var bottom = Math.Min((int)Math.Ceiling(y1 * sy) + margin, window.Bottom);
            if (right > left && bottom > top)
            {
                boxes.Add(new PixelRect(left - window.X, top - window.Y, right - left, bottom - top));
            }
        }

        return boxes;
    }

    /// <summary>
    /// Zeroes (black, for the grey and RGB pixels the JPEG tile path decodes) the parts of <paramref name="boxes"/> that
    /// fall in <paramref name="rows"/> rows of <paramref name="width"/> pixels whose top-left pixel is
    /// (<paramref name="x"/>, <paramref name="y"/>) in the boxes' coordinates, rows <paramref name="stride"/> bytes apart.
    /// </summary>
    public static void Blacken(Span<byte> pixels, int stride, int bands, int x, int y, int width, int rows, IReadOnlyList<PixelRect> boxes)
    {
        for (var i = 0; i < boxes.Count; i++)
        {
            var box = boxes[i];
            int left = Math.Max(box.X, x), right = Math.Min(box.Right, x + width);
            int top = Math.Max(box.Y, y), bottom = Math.Min(box.Bottom, y + rows);
            for (var row = top; row < bottom && left < right; row++)
            {
                pixels.Slice(((row - y) * stride) + ((left - x) * bands), (right - left) * bands).Clear();
            }
        }
    }

    /// <summary>Draws <paramref name="boxes"/> (in the current image's pixels) black and opaque on the chain's current image, lazily (libvips' <c>insert</c>), so a streaming read stays one.</summary>
    public static void Draw(VipsChain chain, IReadOnlyList<PixelRect> boxes)
    {
        foreach (var box in boxes)
        {
            var image = chain.Current;
            using var ink = Ink(image, box.Width, box.Height);
            chain.Then(VipsOperation.Image("insert", ("main", image), ("sub", ink), ("x", box.X), ("y", box.Y)));
        }
    }

    /// <summary>A <paramref name="width"/> × <paramref name="height"/> image of black in <paramref name="like"/>'s bands and format: no light (all ink for CMYK), alpha opaque.</summary>
    private static VipsImage Ink(VipsImage like, int width, int height)
    {
        var bands = like.Bands;
        var full = like.Format switch
        {
            BandFormat.UShort => 65535.0,
            BandFormat.Short => 32767.0,
            BandFormat.Char => 127.0,
            BandFormat.Float or BandFormat.Double when like.Interpretation == Interpretation.ScRgb => 1.0,
            _ => 255.0,
        };
        var colourBands = like.HasAlpha ? bands - 1 : bands;
        var values = new double[bands];
        for (var band = 0; band < bands; band++)
        {
            values[band] = band >= colourBands || like.Interpretation == Interpretation.Cmyk ? full : 0;
        }

        using var black = VipsOperation.Image("black", ("width", width), ("height", height), ("bands", bands));
        using var valued = black.Call("linear", ("a", new[] { 1.0 }), ("b", values));
        return valued.Cast(like.Format);
    }
}
