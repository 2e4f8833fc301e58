namespace Tessera.Imaging.Rendering;

/// <summary>Which code answers a plan, fastest first (<see cref="RenderPathChooser"/> decides).</summary>
public enum RenderPath
{
    /// <summary>A stored JPEG tile of a pyramid TIFF, sent as it is: no decode, no encode.</summary>
    StoredTile,

    /// <summary>The pyramid level's stored JPEG tiles decoded, reduced and encoded by libjpeg-turbo, without libvips (<see cref="JpegTileRenderer"/>).</summary>
    JpegTiles,

    /// <summary>
    /// A JPEG 2000 source's window decoded by OpenJPEG directly (<see cref="Vips.Jpeg2000Decoder"/>, one codec per
    /// request, so renders of one file run on every core) or read from its level held decoded; then processed and
    /// encoded by libvips like <see cref="Libvips"/>.
    /// </summary>
    Jpeg2000,

    /// <summary>Read, processed and encoded by libvips (<see cref="ImageRenderer"/>): everything else.</summary>
    Libvips,
}
