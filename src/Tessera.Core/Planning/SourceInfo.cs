namespace Tessera.Core.Planning;

/// <summary>The facts of a source image that planning and info.json need, read once and cached.</summary>
/// <param name="Width">Width as displayed: EXIF orientation applied.</param>
/// <param name="Height">Height as displayed: EXIF orientation applied.</param>
/// <param name="Levels">Directly readable resolutions, largest first; <c>Levels[0]</c> is the full resolution.</param>
/// <param name="Orientation">EXIF orientation 1..8 (1 = as stored). 5..8 swap width and height.</param>
/// <param name="HasAlpha">Whether the source carries an alpha channel.</param>
public sealed record SourceInfo(int Width, int Height, IReadOnlyList<PyramidLevel> Levels, int Orientation = 1, bool HasAlpha = false)
{
    /// <summary>True when the orientation swaps the axes (EXIF 5..8).</summary>
    public bool SwapsAxes => Orientation is >= 5 and <= 8;

    /// <summary>A single-level source of the given displayed size, orientation 1.</summary>
    public static SourceInfo Single(int width, int height, int tileWidth = 0, int tileHeight = 0) =>
        new(width, height, [new PyramidLevel(0, width, height, tileWidth, tileHeight)]);
}
