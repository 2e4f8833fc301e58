using System.Globalization;

namespace Tessera.Imaging.Rendering;

/// <summary>
/// A text or image mark drawn on what the public gets of a degraded image (never on what authorised users get). Sized
/// relative to the output, so a thumbnail and a large view carry the same proportion of mark.
/// </summary>
public sealed record Watermark
{
    /// <summary>The text drawn (white with a dark shadow, so it shows on light and dark images); or null for <see cref="ImagePath"/>.</summary>
    public string? Text { get; init; }

    /// <summary>An image file drawn instead of text (its alpha, if any, is kept); or null for <see cref="Text"/>.</summary>
    public string? ImagePath { get; init; }

    public WatermarkPosition Position { get; init; } = WatermarkPosition.BottomRight;

    /// <summary>0 (invisible) to 1 (opaque).</summary>
    public double Opacity { get; init; } = 0.6;

    /// <summary>The mark's width as a fraction of the output's width, more than 0 and at most 1.</summary>
    public double Size { get; init; } = 0.3;

    /// <summary>What distinguishes the bytes this mark makes: part of the derivative key of a watermarked render.</summary>
    public string Key => string.Create(CultureInfo.InvariantCulture, $"watermark:{Text}|{ImagePath}|{Position}|{Opacity}|{Size}");
}
