using Tessera.Core.Planning;
using Tessera.Imaging.Sources;
using Tessera.Imaging.Tiff;

namespace Tessera.Imaging.Rendering;

/// <summary>
/// Whether a plan is exactly one stored tile of a pyramid TIFF level that can be sent as it is. Only asks
/// <see cref="RenderPathChooser"/>, which owns the decision (the stored-tile answer depends on neither the JPEG tile
/// option nor libturbojpeg).
/// </summary>
internal static class StoredTile
{
    private static readonly RenderPathChooser Chooser = new(RenderOptions.Default, libjpegTurbo: false);

    /// <summary>The stored tile the plan asks for, if it is one.</summary>
    public static bool TryMatch(ImagePlan plan, SourceDescription source, out TiffDirectory directory, out int column, out int row)
    {
        var decision = Chooser.Choose(plan, source);
        var match = decision.Path == RenderPath.StoredTile;
        directory = match ? decision.Directory! : null!;
        (column, row) = match ? (decision.Column, decision.Row) : (0, 0);
        return match;
    }
}
