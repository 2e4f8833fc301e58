namespace Tessera.Imaging.Rendering;

/// <summary>Which code answers a plan, fastest first (<see cref="RenderPathChooser"/> decides).</summary>
public enum RenderPath
{
    /// <summary>A stored JPEG tile of a pyramid TIFF, sent as it is: no decode, no encode.</summary>
    StoredTile,

    /// <summary>The pyramid level's stored JPEG tiles decoded, reduced and encoded by libjpeg-turbo, without libvips (<see cref="JpegTileRenderer"/>).</summary>
    JpegTiles,

    /// <summary>Read, processed and encoded by libvips (<see cref="ImageRenderer"/>): everything else.</summary>
    Libvips,
}
