namespace Tessera.Core.Planning;

/// <summary>
/// One resolution of a source that can be read directly: a page of a pyramidal TIFF, a JPEG 2000 resolution level,
/// or a JPEG shrink-on-load factor. Dimensions are as stored (before EXIF orientation).
/// </summary>
/// <param name="Index">The level's index as the reader understands it (TIFF page, JP2 reduction, JPEG shrink power).</param>
/// <param name="Width">Stored width in pixels.</param>
/// <param name="Height">Stored height in pixels.</param>
/// <param name="TileWidth">Stored tile width, or 0 when the level is not tiled.</param>
/// <param name="TileHeight">Stored tile height, or 0 when the level is not tiled.</param>
public sealed record PyramidLevel(int Index, int Width, int Height, int TileWidth = 0, int TileHeight = 0)
{
    public bool IsTiled => TileWidth > 0 && TileHeight > 0;
}
