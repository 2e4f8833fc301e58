using Tessera.Core.Planning;

namespace Tessera.Imaging.Rendering;

/// <summary>Where a planned region lies in the pixels of the level it is read from.</summary>
public static class LevelWindow
{
    /// <summary>
    /// <paramref name="region"/> (full-resolution pixels of a <paramref name="storedWidth"/> × <paramref name="storedHeight"/>
    /// image, stored orientation) in the pixels of a level of <paramref name="levelWidth"/> × <paramref name="levelHeight"/>.
    /// </summary>
    public static PixelRect Of(PixelRect region, int levelWidth, int levelHeight, int storedWidth, int storedHeight, bool isFull)
    {
        if (isFull)
        {
            return new PixelRect(0, 0, levelWidth, levelHeight);
        }

        // The level may be a reduction of the full resolution: map the region's edges into it.
        var sx = (double)levelWidth / storedWidth;
        var sy = (double)levelHeight / storedHeight;
        var left = Math.Clamp((int)Math.Floor((region.X * sx) + 1e-6), 0, levelWidth - 1);
        var top = Math.Clamp((int)Math.Floor((region.Y * sy) + 1e-6), 0, levelHeight - 1);
        var right = Math.Clamp((int)Math.Ceiling((region.Right * sx) - 1e-6), left + 1, levelWidth);
        var bottom = Math.Clamp((int)Math.Ceiling((region.Bottom * sy) - 1e-6), top + 1, levelHeight);
        return new PixelRect(left, top, right - left, bottom - top);
    }
}
