using Tessera.Core.Planning;
using Tessera.Imaging.Tiff;

namespace Tessera.Imaging.Sources;

/// <summary>A source with its facts read: what the planner needs and how the renderer opens each level.</summary>
/// <param name="Source">The resolved file.</param>
/// <param name="Info">Dimensions, levels, orientation, alpha.</param>
/// <param name="Loader">The kind of loader that reads it.</param>
/// <param name="LoaderName">libvips' loader operation, e.g. <c>tiffload</c>.</param>
public sealed record SourceDescription(ResolvedSource Source, SourceInfo Info, SourceLoader Loader, string LoaderName)
{
    /// <summary>The TIFF's directories (main chain), parsed once, for stored-tile passthrough; empty for other formats.</summary>
    public IReadOnlyList<TiffDirectory> TiffDirectories { get; init; } = [];

    /// <summary>Whether the source embeds an ICC profile (then its stored pixels are not plain sRGB).</summary>
    public bool HasIccProfile { get; init; }
}
