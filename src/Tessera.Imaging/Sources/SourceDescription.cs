using Tessera.Core.Planning;
using Tessera.Imaging.Colour;
using Tessera.Imaging.Tiff;
using Tessera.Vips;

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

    /// <summary>
    /// The source's embedded ICC profile, or null when it has none or one that does not parse (libvips' transform fails
    /// on those as well, and the renderer then treats the pixels as untagged, so null renders exactly as untagged).
    /// </summary>
    public IccProfile? Profile { get; init; }

    /// <summary>
    /// Whether the stored pixels are plain sRGB (or grey) as they are: no profile, or an sRGB one (see
    /// <see cref="IccProfile.IsSrgb"/>). Then they can be served without a colour transform.
    /// </summary>
    public bool IsSrgb => Profile is null || Profile.IsSrgb;

    /// <summary>
    /// For a JPEG 2000 source that OpenJPEG can decode directly: its header facts, read once per file version (the
    /// decoder checks on every decode that the file is still the one read). Null for other sources and for JPEG 2000
    /// files the decoder refuses (<see cref="Jpeg2000Refusal"/> says why), which libvips' <c>jp2kload</c> reads.
    /// </summary>
    public Jpeg2000Decoder? Jpeg2000 { get; init; }

    /// <summary>What the file's first bytes declare (read before libvips opened it): what <see cref="SourceLimits"/> judge.</summary>
    public SourceHeader Header { get; init; } = SourceHeader.Unknown;

    /// <summary>
    /// The page of a multi-page source this description is of, from 0 (see <see cref="PageIdentifier"/>): libvips'
    /// <c>page</c> for PDF and HEIF, the index of the image among a TIFF's (its levels name their own directories).
    /// </summary>
    public int Page { get; init; }

    /// <summary>How many pages the source has (1 for most images); known from the header alone, never by rendering.</summary>
    public int PageCount { get; init; } = 1;

    /// <summary>The name of a page that has one (a slide's associated image: <c>label</c>, <c>macro</c>, <c>thumbnail</c>), else null.</summary>
    public string? PageName { get; init; }

    /// <summary>For a PDF: the DPI its pages are rendered at (which made <see cref="Info"/>'s size).</summary>
    public double Dpi { get; init; }

    /// <summary>
    /// Facts worth showing people, from the source's own metadata (a slide's vendor, microns per pixel, objective
    /// power, size): a bounded, chosen set, for the manifest's <c>metadata</c>. Empty for most sources.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Properties { get; init; } = [];

    /// <summary>Why a JPEG 2000 source has no <see cref="Jpeg2000"/> decoder (subsampled, signed, sYCC, ...); null otherwise.</summary>
    public string? Jpeg2000Refusal { get; init; }
}
