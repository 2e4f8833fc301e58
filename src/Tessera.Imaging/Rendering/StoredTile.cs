using Tessera.Core.Iiif;
using Tessera.Core.Planning;
using Tessera.Imaging.Sources;
using Tessera.Imaging.Tiff;

namespace Tessera.Imaging.Rendering;

/// <summary>
/// Decides, from geometry alone, whether a plan is exactly one stored tile of a pyramid TIFF level that can be sent
/// as it is: jpg out, default or colour quality, no rotation or mirroring, upright source whose pixels are sRGB as stored
/// (no ICC profile, or an sRGB one), the region a whole tile of the level (edge tiles cropped) and the output size that
/// tile's size.
/// </summary>
public static class StoredTile
{
    /// <summary>
    /// Whether the plan reads a pyramid TIFF level of JPEG tiles (8-bit grey, RGB or YCbCr) and writes JPEG with the
    /// colours as stored: jpg out, default or colour quality, no rotation or mirroring, upright source whose stored
    /// pixels are sRGB (no ICC profile, or an sRGB one: <see cref="SourceDescription.IsSrgb"/>). Such plans can be answered
    /// from the tiles' JPEG data without libvips: a whole tile as it is, anything else decoded and encoded by libjpeg-turbo directly (<see cref="JpegTileRenderer"/>).
    /// </summary>
    public static bool ReadsJpegTiles(ImagePlan plan, SourceDescription source, out TiffDirectory directory)
    {
        directory = null!;
        if (source.Loader != SourceLoader.Tiff || plan.Format != ImageFormat.Jpg || plan.Rotation != 0 || plan.Mirror
            || plan.Quality is not (Quality.Default or Quality.Color) || source.Info.Orientation != 1 || !source.IsSrgb
            || !plan.Level.IsTiled)
        {
            return false;
        }

        var found = source.TiffDirectories.FirstOrDefault(d => d.Page == plan.Level.Index);
        if (found is null || JpegTilePassthrough.GetIneligibility(found) is not null)
        {
            return false;
        }

        directory = found;
        return true;
    }

    /// <summary>The stored tile the plan asks for, if it is one.</summary>
    public static bool TryMatch(ImagePlan plan, SourceDescription source, out TiffDirectory directory, out int column, out int row)
    {
        (column, row) = (0, 0);
        if (!ReadsJpegTiles(plan, source, out directory))
        {
            return false;
        }

        var info = source.Info;
        var found = directory;
        directory = null!;

        // Pyramid levels halve the level above (rounding either way), so level k maps full-resolution pixels
        // [i·2^k, (i+1)·2^k) to pixel i: the IIIF tile grid at scale factor 2^k is the stored grid.
        var scale = 1;
        while (scale < 1 << 20 && Math.Abs((info.Width / (double)(scale * 2)) - found.ImageWidth) < Math.Abs((info.Width / (double)scale) - found.ImageWidth))
        {
            scale *= 2;
        }

        if (Math.Abs((info.Width / (double)scale) - found.ImageWidth) >= 1 || Math.Abs((info.Height / (double)scale) - found.ImageLength) >= 1)
        {
            return false;
        }

        var spanX = found.TileWidth * scale;
        var spanY = found.TileLength * scale;
        var region = plan.Region;
        if (region.X % spanX != 0 || region.Y % spanY != 0)
        {
            return false;
        }

        column = region.X / spanX;
        row = region.Y / spanY;
        if (!JpegTilePassthrough.TryGetTileGeometry(found, column, row, out var tile)
            || region.Right != Math.Min(region.X + spanX, info.Width) || region.Bottom != Math.Min(region.Y + spanY, info.Height)
            || tile.Width != plan.Width || tile.Height != plan.Height)
        {
            return false;
        }

        directory = found;
        return true;
    }
}
