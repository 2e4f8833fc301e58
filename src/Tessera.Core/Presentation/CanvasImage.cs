namespace Tessera.Core.Presentation;

/// <summary>An image with its displayed size (EXIF orientation applied): what a Canvas is made from.</summary>
/// <param name="Identifier">The Image API identifier, e.g. <c>maps/atlas/page-2.tif</c>.</param>
/// <param name="Width">Displayed width in pixels.</param>
/// <param name="Height">Displayed height in pixels.</param>
public sealed record CanvasImage(string Identifier, int Width, int Height)
{
    /// <summary>The Canvas's label, or null for the identifier without its extension (a page of a PDF is "report, page 2").</summary>
    public string? Label { get; init; }

    /// <summary>
    /// Facts of the source worth showing people (a whole slide's vendor, microns per pixel, objective power, size):
    /// the Manifest's <c>metadata</c> gets those of its first Canvas that has any, after the CSV's.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Properties { get; init; } = [];
}
