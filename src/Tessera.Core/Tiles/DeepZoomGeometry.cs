namespace Tessera.Core.Tiles;

/// <summary>
/// The Deep Zoom pyramid of an image (the DZI format of Seadragon/OpenSeadragon, <c>dzitilesource.js</c>): level
/// <c>MaxLevel = ceil(log2(max(width, height)))</c> is the full image, each level below halves it (rounding up), down
/// to level 0, a single pixel. Each level is cut into <see cref="TileSize"/> tiles from the top left, named
/// <c>{level}/{col}_{row}.jpg</c>.
/// <para>
/// Tessera uses 256-pixel tiles with no overlap (<c>Overlap="0"</c>), the same grid as its info.json tiles: a DZI tile is
/// then exactly an IIIF tile request, shares its cache entries, and on a tiled pyramidal TIFF takes the stored-tile fast
/// path. Viewers show no seams at overlap 0 (OpenSeadragon draws tiles edge to edge).
/// </para>
/// </summary>
public sealed record DeepZoomGeometry(int Width, int Height)
{
    public const int TileSize = 256;

    public const int Overlap = 0;

    /// <summary>The highest level, the full-size image: the smallest n with 2^n ≥ the longer side.</summary>
    public int MaxLevel
    {
        get
        {
            var longest = Math.Max(Width, Height);
            var n = 0;
            while ((1L << n) < longest)
            {
                n++;
            }

            return n;
        }
    }

    /// <summary>The size of a level: the full size divided by 2^(MaxLevel − level), rounded up.</summary>
    public (int Width, int Height) LevelSize(int level)
    {
        var shift = MaxLevel - level;
        return ((int)CeilShift(Width, shift), (int)CeilShift(Height, shift));
    }

    /// <summary>Columns and rows of tiles at a level.</summary>
    public (int Columns, int Rows) TileCount(int level)
    {
        var (w, h) = LevelSize(level);
        return ((w + TileSize - 1) / TileSize, (h + TileSize - 1) / TileSize);
    }

    /// <summary>The tile at (col, row) of a level, or null when there is no such tile.</summary>
    public LegacyTile? Tile(int level, int column, int row)
    {
        if (level < 0 || level > MaxLevel || column < 0 || row < 0)
        {
            return null;
        }

        var (columns, rows) = TileCount(level);
        if (column >= columns || row >= rows)
        {
            return null;
        }

        var (levelWidth, levelHeight) = LevelSize(level);
        var scale = 1L << (MaxLevel - level);
        var x = column * TileSize * scale;
        var y = row * TileSize * scale;
        return new LegacyTile(
            x,
            y,
            Math.Min(TileSize * scale, Width - x),
            Math.Min(TileSize * scale, Height - y),
            Math.Min(TileSize, levelWidth - (column * TileSize)),
            Math.Min(TileSize, levelHeight - (row * TileSize)));
    }

    /// <summary>The .dzi descriptor.</summary>
    public string Descriptor() =>
        $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <Image xmlns="http://schemas.microsoft.com/deepzoom/2008" Format="jpg" Overlap="{Overlap}" TileSize="{TileSize}">
          <Size Width="{Width}" Height="{Height}"/>
        </Image>

        """;

    private static long CeilShift(long value, int shift) => (value + (1L << shift) - 1) >> shift;
}
