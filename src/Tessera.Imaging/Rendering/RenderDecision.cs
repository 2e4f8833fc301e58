using Tessera.Core.Planning;
using Tessera.Imaging.Tiff;

namespace Tessera.Imaging.Rendering;

/// <summary><see cref="RenderPathChooser"/>'s answer for one plan: the path, why, and what that path needs to know.</summary>
/// <param name="Path">The path that answers.</param>
/// <param name="Reason">Why.</param>
public sealed record RenderDecision(RenderPath Path, RenderReason Reason)
{
    /// <summary>The level's TIFF directory, for <see cref="RenderPath.StoredTile"/> and <see cref="RenderPath.JpegTiles"/>; else null.</summary>
    public TiffDirectory? Directory { get; init; }

    /// <summary>
    /// For <see cref="RenderPath.StoredTile"/> and <see cref="RenderPath.JpegTiles"/>: what is done with the source's
    /// colours (as stored, profile embedded, transformed). The libvips path decides for itself.
    /// </summary>
    public Colour.ColourHandling Colour { get; init; }

    /// <summary>For <see cref="RenderPath.Jpeg2000"/>: the window of the planned level to decode, in level pixels (stored orientation).</summary>
    public PixelRect Window { get; init; }

    /// <summary>The stored tile's column in the level, for <see cref="RenderPath.StoredTile"/>.</summary>
    public int Column { get; init; }

    /// <summary>The stored tile's row in the level, for <see cref="RenderPath.StoredTile"/>.</summary>
    public int Row { get; init; }

    /// <summary>
    /// For <see cref="RenderPath.StoredTile"/>: what renders the plan when the stored bytes cannot be sent as they are
    /// (a sparse or damaged tile, an edge tile with restart markers): <see cref="RenderPath.JpegTiles"/> or
    /// <see cref="RenderPath.Libvips"/>. Null for the other paths, which fall back to libvips themselves.
    /// </summary>
    public RenderDecision? Fallback { get; init; }
}
