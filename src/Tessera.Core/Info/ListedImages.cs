using Tessera.Core.Iiif;
using Tessera.Core.Planning;

namespace Tessera.Core.Info;

/// <summary>
/// Whether a plan is one of the images an info.json lists: a tile of its <c>tiles</c> (a scale factor's grid cell,
/// clipped at the edges, at ⌈w/s⌉ × ⌈h/s⌉; the one-tile level asked as the whole image) or one of its <c>sizes</c> of the
/// whole image, unrotated, in the default or colour quality and JPEG or a preferred format. What a viewer asks for when it
/// only follows the document (<see cref="Tiles.SeedLayout"/> lists the same paths): the set a server may keep answering
/// for anyone while other renders need a login (issue 14, "who may render").
/// </summary>
public static class ListedImages
{
    /// <summary>Whether <paramref name="plan"/> is a tile or size that info.json, made with these limits and options, lists.</summary>
    public static bool Contains(ImagePlan plan, ServerLimits limits, InfoOptions options)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(options);
        if (plan.Rotation != 0 || plan.Mirror || plan.Quality is not (Quality.Default or Quality.Color)
            || (plan.Format != ImageFormat.Jpg && !options.PreferredFormats.Contains(plan.Format)))
        {
            return false;
        }

        var source = plan.Source;
        int width = source.Width, height = source.Height;
        var region = plan.Region;
        var whole = region.X == 0 && region.Y == 0 && region.Width == width && region.Height == height;
        if (whole && InfoDocument.Sizes(source, limits, options).Contains((plan.Width, plan.Height)))
        {
            return true;
        }

        var (tileWidth, tileHeight, factors) = InfoDocument.Tiles(source, limits, options);
        foreach (var s in factors)
        {
            long stepX = (long)tileWidth * s, stepY = (long)tileHeight * s;
            if (region.X % stepX != 0 || region.Y % stepY != 0)
            {
                continue;
            }

            var w = (int)Math.Min(stepX, width - region.X);
            var h = (int)Math.Min(stepY, height - region.Y);
            if (region.Width == w && region.Height == h && Near(plan.Width, Ceil(w, s)) && Near(plan.Height, Ceil(h, s)))
            {
                return true;
            }
        }

        // The level that is one tile, asked as the whole image at its size (what OpenSeadragon asks).
        var last = factors[^1];
        return whole && Near(plan.Width, Ceil(width, last)) && Near(plan.Height, Ceil(height, last));
    }

    /// <summary>
    /// Equal within a pixel: a 2.1 client asks a tile as <c>w,</c>, and the height the planner derives from the region's
    /// aspect may round to one pixel off ⌈h/s⌉ (953×1999 at 239 wide is 501 high, ⌈1999/4⌉ is 500).
    /// </summary>
    private static bool Near(int value, int expected) => Math.Abs(value - expected) <= 1;

    private static int Ceil(long value, int divisor) => (int)((value + divisor - 1) / divisor);
}
