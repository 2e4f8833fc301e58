using Tessera.Core.Planning;
using Tessera.Imaging.Rendering;
using Tessera.Imaging.Sources;

namespace Tessera.Imaging.Pipeline;

/// <summary>
/// What a render will cost, estimated from its plan before it is queued, in source pixels decoded: the measure that
/// separates a tile (a few hundred thousand) from a full-size render of a large flat source (hundreds of millions).
/// Decoding dominates every render path, and it scales with the pixels decoded, not with the output's size.
/// </summary>
public static class RenderCost
{
    /// <summary>
    /// Pixels the render of <paramref name="plan"/> decodes, at least its output's pixels. A source read in any order
    /// (tiled TIFF, JPEG 2000) decodes the region at the planned level, widened to whole tiles; one read top to bottom
    /// (JPEG, PNG, GIF, strip TIFF) decodes every row down to the region's bottom, across the level's whole width.
    /// </summary>
    public static long Of(ImagePlan plan, SourceDescription source)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(source);
        var info = source.Info;
        var level = plan.Level;
        var full = info.Levels[0];

        // The region in stored pixels of full resolution, then of the planned level.
        var stored = Orientation.ToStored(plan.Region, info);
        double sx = (double)level.Width / Math.Max(1, full.Width), sy = (double)level.Height / Math.Max(1, full.Height);
        var left = (long)Math.Floor(stored.X * sx);
        var top = (long)Math.Floor(stored.Y * sy);
        var right = Math.Min(level.Width, (long)Math.Ceiling(stored.Right * sx));
        var bottom = Math.Min(level.Height, (long)Math.Ceiling(stored.Bottom * sy));

        long decoded;
        if (LevelOpener.IsRandomAccess(source, level))
        {
            if (level.IsTiled)
            {
                (left, top) = (left / level.TileWidth * level.TileWidth, top / level.TileHeight * level.TileHeight);
                right = Math.Min(level.Width, (right + level.TileWidth - 1) / level.TileWidth * level.TileWidth);
                bottom = Math.Min(level.Height, (bottom + level.TileHeight - 1) / level.TileHeight * level.TileHeight);
            }

            decoded = Math.Max(0, right - left) * Math.Max(0, bottom - top);
        }
        else
        {
            decoded = (long)level.Width * Math.Max(0, bottom);
        }

        return Math.Max(decoded, (long)plan.Width * plan.Height);
    }

    /// <summary>The lane a render of <paramref name="cost"/> pixels waits in under <paramref name="budget"/>.</summary>
    public static RenderLane LaneOf(long cost, RenderBudget budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        return cost > budget.ExpensivePixels ? RenderLane.Expensive : RenderLane.Cheap;
    }
}
