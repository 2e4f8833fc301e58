using Tessera.Core.Planning;

namespace Tessera.Imaging.Rendering;

/// <summary>EXIF orientation: maps rectangles of the displayed (upright) image back to the stored pixels.</summary>
internal static class Orientation
{
    /// <summary>
    /// The stored-pixel rectangle that becomes <paramref name="displayed"/> once EXIF orientation is applied.
    /// Orientation 6 means "rotate 90° clockwise to display", 8 "rotate 270°", 3 "180°", 2/4 mirror, 5/7 transpose.
    /// </summary>
    public static PixelRect ToStored(PixelRect displayed, SourceInfo info)
    {
        if (info.Orientation == 1)
        {
            return displayed;
        }

        var (x0, y0) = Map(displayed.X, displayed.Y, info);
        var (x1, y1) = Map(displayed.Right, displayed.Bottom, info);
        return new PixelRect(Math.Min(x0, x1), Math.Min(y0, y1), Math.Abs(x1 - x0), Math.Abs(y1 - y0));
    }

    private static (int X, int Y) Map(int x, int y, SourceInfo info)
    {
        var (w, h) = (info.Width, info.Height);
        return info.Orientation switch
        {
            2 => (w - x, y),
            3 => (w - x, h - y),
            4 => (x, h - y),
            5 => (y, x),
            6 => (y, w - x),
            7 => (h - y, w - x),
            8 => (h - y, x),
            _ => (x, y),
        };
    }
}
