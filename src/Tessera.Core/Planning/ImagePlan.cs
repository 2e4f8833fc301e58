using Tessera.Core.Iiif;

namespace Tessera.Core.Planning;

/// <summary>
/// What to render, resolved against the source: the only input of the renderer. Immutable; its canonical form is the
/// derivative cache key and the <c>Link: rel="canonical"</c> value, so requests that mean the same image share one.
/// </summary>
/// <param name="Identifier">The image identifier (decoded).</param>
/// <param name="Region">The region in full-resolution, displayed (EXIF-oriented) pixels, clipped to the image.</param>
/// <param name="Width">Output width before rotation.</param>
/// <param name="Height">Output height before rotation.</param>
/// <param name="Rotation">Clockwise degrees in [0, 360).</param>
/// <param name="Mirror">Mirror horizontally before rotating (the <c>!</c> prefix).</param>
/// <param name="Quality">The requested quality.</param>
/// <param name="Format">The requested output format.</param>
/// <param name="Level">The pyramid level (or shrink-on-load level) to read from: the smallest that still covers the output.</param>
/// <param name="IsFullRegion">True when the region is the whole image.</param>
/// <param name="Source">The source facts the plan was made from.</param>
public sealed record ImagePlan(
    string Identifier,
    PixelRect Region,
    int Width,
    int Height,
    double Rotation,
    bool Mirror,
    Quality Quality,
    ImageFormat Format,
    PyramidLevel Level,
    bool IsFullRegion,
    SourceInfo Source);
