namespace Tessera.Imaging.Processing;

/// <summary>One dominant colour of an image, as iiif-process reports it.</summary>
/// <param name="Hex">The colour found, <c>#rrggbb</c>.</param>
/// <param name="Name">The nearest named colour in <paramref name="Reference"/>.</param>
/// <param name="Reference">The list the name comes from (<c>css4</c>).</param>
/// <param name="Share">The fraction of the image's pixels closest to this colour, 0..1.</param>
public sealed record PaletteColour(string Hex, string Name, string Reference, double Share);
