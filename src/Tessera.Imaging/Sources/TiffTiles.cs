using Tessera.Imaging.Tiff;

namespace Tessera.Imaging.Sources;

/// <summary>Tile sizes of each TIFF page, read from the TIFF directories (libvips does not report them).</summary>
internal static class TiffTiles
{
    public static Dictionary<int, (int Width, int Height)> Read(string path)
    {
        try
        {
            return TiffDirectoryReader.Read(path)
                .Where(d => !d.IsSubIfd && d.IsTiled)
                .ToDictionary(d => d.Page, d => (d.TileWidth, d.TileLength));
        }
        catch (TiffFormatException)
        {
            // libvips read the header; if our stricter reader does not, serve it untiled rather than not at all.
            return [];
        }
    }
}
