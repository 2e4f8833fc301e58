using Tessera.Core.Iiif;

namespace Tessera.Core.Tiles;

/// <summary>
/// Which files a level-0 client needs: the tile URLs it derives from info.json's <c>tiles</c> and <c>sizes</c>
/// (Image API 3.0 §5.6 and the implementation notes on static tiles). For scale factor <c>s</c> and tile (col, row):
/// region <c>x,y,w,h</c> in full-resolution pixels (<c>x = col·tw·s</c>, clipped at the edges), size
/// <c>⌈w/s⌉,⌈h/s⌉</c> in 3.0 and <c>⌈w/s⌉,</c> in 2.1 — the paths OpenSeadragon requests and
/// <c>vips dzsave --layout iiif3</c> writes. Pure: no pixels.
/// </summary>
public static class SeedLayout
{
    /// <summary>Powers of two from 1 up to the first at which the whole image fits in one tile.</summary>
    public static IReadOnlyList<int> ScaleFactors(int width, int height, int tileWidth, int tileHeight)
    {
        var factors = new List<int>();
        for (var s = 1; ; s *= 2)
        {
            factors.Add(s);
            if (Ceil(width, s) <= tileWidth && Ceil(height, s) <= tileHeight || s >= 1 << 30)
            {
                return factors;
            }
        }
    }

    /// <summary>Every tile of every scale factor, coarsest level first (the ones a viewer shows first).</summary>
    public static IEnumerable<SeedTarget> Tiles(ApiVersion version, int width, int height, int tileWidth, int tileHeight, IReadOnlyList<int> scaleFactors)
    {
        foreach (var s in scaleFactors.OrderDescending())
        {
            long stepX = (long)tileWidth * s, stepY = (long)tileHeight * s;
            for (long y = 0; y < height; y += stepY)
            {
                for (long x = 0; x < width; x += stepX)
                {
                    var w = (int)Math.Min(stepX, width - x);
                    var h = (int)Math.Min(stepY, height - y);
                    yield return new SeedTarget($"{x},{y},{w},{h}", SizeSegment(version, Ceil(w, s), Ceil(h, s)));
                }
            }

            if (Ceil(width, s) <= tileWidth && Ceil(height, s) <= tileHeight)
            {
                // A level that is one tile: OpenSeadragon asks for it as the whole image at the level's width.
                yield return new SeedTarget("full", $"{Ceil(width, s)},");
            }
        }
    }

    /// <summary>The <c>sizes</c> entries as whole-image files: <c>full/{w},{h}</c> (3.0) or <c>full/{w},</c> (2.1).</summary>
    public static IEnumerable<SeedTarget> Sizes(ApiVersion version, IEnumerable<(int Width, int Height)> sizes) =>
        sizes.Select(s => new SeedTarget("full", SizeSegment(version, s.Width, s.Height)));

    /// <summary>Tiles then sizes, each path once.</summary>
    public static IReadOnlyList<SeedTarget> All(ApiVersion version, int width, int height, int tileWidth, int tileHeight, IReadOnlyList<int> scaleFactors, IEnumerable<(int Width, int Height)> sizes)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return [.. Tiles(version, width, height, tileWidth, tileHeight, scaleFactors).Concat(Sizes(version, sizes)).Where(t => seen.Add(t.Path))];
    }

    private static string SizeSegment(ApiVersion version, int w, int h) => version == ApiVersion.V2 ? $"{w}," : $"{w},{h}";

    private static int Ceil(long value, int divisor) => (int)((value + divisor - 1) / divisor);
}
