namespace Tessera.Vips.Interop;

/// <summary>The facts of a JPEG 2000 main header (and JP2 boxes) that <see cref="Jpeg2000Decoder"/> needs, copied out of OpenJPEG's structs.</summary>
internal sealed record OpenJpegHeader(
    int X0,
    int Y0,
    int Width,
    int Height,
    IReadOnlyList<OpenJpegComponent> Components,
    int ColourSpace,
    byte[]? IccProfile,
    int Resolutions,
    int TileWidth,
    int TileHeight,
    int TilesAcross,
    int TilesDown);
