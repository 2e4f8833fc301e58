using Tessera.Core.Iiif;

namespace Tessera.Core.Planning;

/// <summary>Size arithmetic shared by the planner, canonical forms and info.json, so they cannot disagree.</summary>
internal static class SizeMath
{
    /// <summary>
    /// The largest size of the region's aspect ratio within the limits: for <c>max</c> (no upscaling) and <c>^max</c>
    /// (upscaling). Rounds half up like the reference implementation, falling back to floor when rounding would break a
    /// limit.
    /// </summary>
    public static (int Width, int Height) FitWithin(int width, int height, ServerLimits limits, bool upscale)
    {
        var scale = Math.Min(
            Math.Min((double)limits.MaxWidth / width, (double)limits.MaxHeight / height),
            Math.Sqrt((double)limits.MaxArea / ((double)width * height)));
        if (!upscale && scale >= 1)
        {
            return (width, height);
        }

        var w = IiifNumber.RoundHalfUp(width * scale);
        var h = IiifNumber.RoundHalfUp(height * scale);
        if (!Fits(w, h, limits))
        {
            w = (int)Math.Floor(width * scale);
            h = (int)Math.Floor(height * scale);
        }

        return (Math.Max(1, w), Math.Max(1, h));
    }

    /// <summary>True when a size is within every limit.</summary>
    public static bool Fits(int width, int height, ServerLimits limits) =>
        width <= limits.MaxWidth && height <= limits.MaxHeight && (long)width * height <= limits.MaxArea;

    /// <summary>The height that <c>w,</c> gives for a region: round half up of regionH * w / regionW.</summary>
    public static int HeightForWidth(int width, int regionWidth, int regionHeight) =>
        IiifNumber.RoundHalfUp((double)regionHeight * width / regionWidth);

    /// <summary>The width that <c>,h</c> gives for a region.</summary>
    public static int WidthForHeight(int height, int regionWidth, int regionHeight) =>
        IiifNumber.RoundHalfUp((double)regionWidth * height / regionHeight);
}
