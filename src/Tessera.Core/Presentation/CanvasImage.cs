namespace Tessera.Core.Presentation;

/// <summary>An image with its displayed size (EXIF orientation applied): what a Canvas is made from.</summary>
/// <param name="Identifier">The Image API identifier, e.g. <c>maps/atlas/page-2.tif</c>.</param>
/// <param name="Width">Displayed width in pixels.</param>
/// <param name="Height">Displayed height in pixels.</param>
public sealed record CanvasImage(string Identifier, int Width, int Height);
