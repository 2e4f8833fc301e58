namespace Tessera.Imaging.Rendering;

/// <summary>Where a response's bytes came from.</summary>
public enum RenderOrigin
{
    /// <summary>Decoded, processed and encoded by libvips.</summary>
    Rendered,

    /// <summary>Decoded from a pyramid level's stored JPEG tiles and encoded by libjpeg-turbo directly (<see cref="JpegTileRenderer"/>).</summary>
    JpegTiles,

    /// <summary>A JPEG 2000 window decoded by OpenJPEG directly (<see cref="RenderPath.Jpeg2000"/>), then processed and encoded by libvips.</summary>
    OpenJpeg,

    /// <summary>A stored JPEG tile of a pyramid TIFF, sent without decoding or encoding.</summary>
    StoredTile,

    /// <summary>The derivative cache.</summary>
    Cache,
}
