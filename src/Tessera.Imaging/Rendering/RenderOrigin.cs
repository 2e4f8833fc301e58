namespace Tessera.Imaging.Rendering;

/// <summary>Where a response's bytes came from.</summary>
public enum RenderOrigin
{
    /// <summary>Decoded, processed and encoded by libvips.</summary>
    Rendered,

    /// <summary>A stored JPEG tile of a pyramid TIFF, sent without decoding or encoding.</summary>
    StoredTile,

    /// <summary>The derivative cache.</summary>
    Cache,
}
