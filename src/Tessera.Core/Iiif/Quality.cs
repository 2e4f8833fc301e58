namespace Tessera.Core.Iiif;

/// <summary>
/// The quality parameter: "whether the image is delivered in color, grayscale or black and white"
/// (Image API 3.0 §4.4).
/// </summary>
public enum Quality
{
    /// <summary><c>default</c>: the server's default rendering (colour for colour sources).</summary>
    Default,

    /// <summary><c>color</c>: full colour.</summary>
    Color,

    /// <summary><c>gray</c>: greyscale.</summary>
    Gray,

    /// <summary><c>bitonal</c>: each pixel black or white.</summary>
    Bitonal,
}
