namespace Tessera.Imaging.Rendering;

/// <summary>
/// Why <see cref="RenderPathChooser"/> chose a path: for the fast paths, what kind of answer it is; for libvips, the
/// first thing that kept the plan off the JPEG tile paths (what an operator would change to get them).
/// </summary>
public enum RenderReason
{
    /// <summary>StoredTile: the plan is exactly one interior stored tile.</summary>
    Tile,

    /// <summary>StoredTile: the plan is exactly one stored tile at the right or bottom edge, cropped from its stored frame (worth caching).</summary>
    EdgeTile,

    /// <summary>JpegTiles: the plan reads the level's JPEG tiles but is not exactly one of them (another region, or resized).</summary>
    NotOneTile,

    /// <summary>Jpeg2000: the window of the planned JPEG 2000 level is decoded by OpenJPEG directly (or read from the level held decoded).</summary>
    Jpeg2000Window,

    /// <summary>Libvips: the direct JPEG 2000 decode is switched off (<see cref="RenderOptions.Jpeg2000Direct"/>).</summary>
    Jpeg2000Off,

    /// <summary>
    /// Libvips: the JPEG 2000 file is of a kind the direct decoder leaves to <c>jp2kload</c> (subsampled or signed
    /// components, sYCC, CMYK, ...; <see cref="Sources.SourceDescription.Jpeg2000Refusal"/> says which), or OpenJPEG 2.5 is missing.
    /// </summary>
    Jpeg2000Refused,

    /// <summary>Libvips: the source is not a TIFF (a JPEG, JPEG 2000, PNG, ... source).</summary>
    NotTiff,

    /// <summary>Libvips: the output format is not JPEG.</summary>
    NotJpgOut,

    /// <summary>Libvips: the plan rotates.</summary>
    Rotation,

    /// <summary>Libvips: the plan mirrors.</summary>
    Mirror,

    /// <summary>Libvips: the quality changes the colours (gray, bitonal).</summary>
    Quality,

    /// <summary>Libvips: the source's EXIF orientation turns it.</summary>
    Orientation,

    /// <summary>Libvips: the source's ICC profile is one the JPEG tile paths cannot take (CMYK, a grey profile on colour tiles, LittleCMS missing).</summary>
    IccProfile,

    /// <summary>JpegTiles: the plan is exactly one stored tile, but its colours are transformed to sRGB (<see cref="Colour.ColourPolicy.Convert"/>).</summary>
    ColourTransform,

    /// <summary>JpegTiles: the plan is exactly one stored tile, but a redaction box reaches it: decoded, the box drawn black, encoded.</summary>
    Redacted,

    /// <summary>Libvips: the level is stored in strips, not tiles.</summary>
    NotTiled,

    /// <summary>Libvips: the level's tiles are not 8-bit grey, RGB or YCbCr JPEG (or the TIFF has no such directory).</summary>
    NotJpegTiles,

    /// <summary>Libvips: the JPEG tile path is switched off (<see cref="RenderOptions.JpegTiles"/>).</summary>
    JpegTilesOff,

    /// <summary>Libvips: libturbojpeg is not installed.</summary>
    NoLibjpegTurbo,

    /// <summary>Libvips: the region lies outside the level as its TIFF directory (or JPEG 2000 header) describes it.</summary>
    OutsideLevel,

    /// <summary>Libvips: the output is larger than the region read (an upscale).</summary>
    Upscale,

    /// <summary>Libvips: the region read is over <see cref="JpegTileRenderer.MaxRegionPixels"/> (decoded whole by the fast paths; libvips streams it).</summary>
    LargeRegion,

    /// <summary>Libvips: the resampling kernel is not one the managed reducer has.</summary>
    Kernel,

    /// <summary>Libvips: a reduction steeper than <see cref="JpegTileRenderer.MaxReduction"/> on an axis (libvips box-shrinks first).</summary>
    SteepReduction,

    /// <summary>JpegTiles: the plan is exactly one stored tile, but the request asked for its own JPEG quality (IIP's <c>QLT</c>): decoded and encoded at it.</summary>
    JpegQuality,
}
