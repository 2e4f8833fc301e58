namespace Tessera.Imaging.Tiff;

/// <summary>Where one stored tile sits in its level, and how much of it is image.</summary>
/// <param name="Column">Tile column, from 0 at the left.</param>
/// <param name="Row">Tile row, from 0 at the top.</param>
/// <param name="Index">Index into TileOffsets/TileByteCounts (row-major).</param>
/// <param name="X">Left edge of the tile within the level.</param>
/// <param name="Y">Top edge of the tile within the level.</param>
/// <param name="Width">Width of image in the tile: the stored width, less at the right edge.</param>
/// <param name="Height">Height of image in the tile: the stored height, less at the bottom edge.</param>
/// <param name="StoredWidth">The stored (uncropped) tile width.</param>
/// <param name="StoredHeight">The stored (uncropped) tile height.</param>
public readonly record struct TiffTileGeometry(
    int Column,
    int Row,
    int Index,
    int X,
    int Y,
    int Width,
    int Height,
    int StoredWidth,
    int StoredHeight)
{
    /// <summary>True when the stored tile extends past the image and must be cropped.</summary>
    public bool IsCropped => Width != StoredWidth || Height != StoredHeight;
}
