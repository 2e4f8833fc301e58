namespace Tessera.Core.Tiles;

/// <summary>
/// The Zoomify pyramid of an image (the <c>ImageProperties.xml</c> format, as read by OpenSeadragon's
/// <c>zoomifytilesource.js</c>): tiers from the full image, halving with rounding down, until the image fits in one
/// 256-pixel tile; tier 0 is the smallest. Tiles are numbered across tiers, smallest tier first and row by row within
/// a tier; tile number n lives in folder <c>TileGroup{n / 256}</c> as <c>{tier}-{col}-{row}.jpg</c>.
/// </summary>
public sealed class ZoomifyGeometry
{
    public const int TileSize = 256;

    /// <summary>Tiles per TileGroup folder.</summary>
    public const int TilesPerGroup = 256;

    private readonly List<(int Width, int Height, int Columns, int Rows, int Scale)> _tiers = [];

    public ZoomifyGeometry(int width, int height)
    {
        Width = width;
        Height = height;
        int w = width, h = height, scale = 1;
        _tiers.Add(Tier(w, h, scale));
        while (w > TileSize || h > TileSize)
        {
            (w, h, scale) = (w / 2, h / 2, scale * 2);
            _tiers.Add(Tier(w, h, scale));
        }

        _tiers.Reverse();
        TileCount = _tiers.Sum(t => t.Columns * t.Rows);
    }

    public int Width { get; }

    public int Height { get; }

    public int Tiers => _tiers.Count;

    /// <summary>Tiles over every tier (<c>NUMTILES</c>).</summary>
    public int TileCount { get; }

    public (int Width, int Height) TierSize(int tier) => (_tiers[tier].Width, _tiers[tier].Height);

    public (int Columns, int Rows) TierTiles(int tier) => (_tiers[tier].Columns, _tiers[tier].Rows);

    /// <summary>The TileGroup folder of a tile: its number across all tiers (smaller tiers first), divided by 256.</summary>
    public int TileGroup(int tier, int column, int row)
    {
        var index = 0L;
        for (var t = 0; t < tier; t++)
        {
            index += (long)_tiers[t].Columns * _tiers[t].Rows;
        }

        index += column + ((long)row * _tiers[tier].Columns);
        return (int)(index / TilesPerGroup);
    }

    /// <summary>The tile, or null when there is no such tile.</summary>
    public LegacyTile? Tile(int tier, int column, int row)
    {
        if (tier < 0 || tier >= _tiers.Count || column < 0 || row < 0 || column >= _tiers[tier].Columns || row >= _tiers[tier].Rows)
        {
            return null;
        }

        var (tierWidth, tierHeight, _, _, scale) = _tiers[tier];
        var x = (long)column * TileSize * scale;
        var y = (long)row * TileSize * scale;

        // A tier rounded down covers the whole image: its last column and row reach the right and bottom edges.
        var lastColumn = column == _tiers[tier].Columns - 1;
        var lastRow = row == _tiers[tier].Rows - 1;
        return new LegacyTile(
            x,
            y,
            lastColumn ? Width - x : (long)TileSize * scale,
            lastRow ? Height - y : (long)TileSize * scale,
            Math.Min(TileSize, tierWidth - (column * TileSize)),
            Math.Min(TileSize, tierHeight - (row * TileSize)));
    }

    /// <summary>The ImageProperties.xml descriptor.</summary>
    public string Descriptor() =>
        $"<IMAGE_PROPERTIES WIDTH=\"{Width}\" HEIGHT=\"{Height}\" NUMTILES=\"{TileCount}\" NUMIMAGES=\"1\" VERSION=\"1.8\" TILESIZE=\"{TileSize}\" />\n";

    private static (int, int, int, int, int) Tier(int w, int h, int scale) =>
        (w, h, (w + TileSize - 1) / TileSize, (h + TileSize - 1) / TileSize, scale);
}
