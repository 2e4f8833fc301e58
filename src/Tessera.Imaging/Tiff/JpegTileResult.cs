using System.Diagnostics.CodeAnalysis;

namespace Tessera.Imaging.Tiff;

/// <summary>
/// The outcome of asking for a stored tile as a standalone JPEG: its bytes, or why it must be rendered the slow way.
/// Not being eligible is an ordinary answer, not an error.
/// </summary>
public sealed record JpegTileResult
{
    private JpegTileResult(byte[]? jpeg, string? notEligibleReason)
    {
        Jpeg = jpeg;
        NotEligibleReason = notEligibleReason;
    }

    /// <summary>The complete JPEG, or null when not eligible.</summary>
    public byte[]? Jpeg { get; }

    /// <summary>Why the tile cannot be passed through, or null when it can.</summary>
    public string? NotEligibleReason { get; }

    [MemberNotNullWhen(true, nameof(Jpeg))]
    [MemberNotNullWhen(false, nameof(NotEligibleReason))]
    public bool IsEligible => Jpeg is not null;

    public static JpegTileResult Passthrough(byte[] jpeg) => new(jpeg ?? throw new ArgumentNullException(nameof(jpeg)), null);

    public static JpegTileResult NotEligible(string reason) => new(null, reason ?? throw new ArgumentNullException(nameof(reason)));
}
