using Tessera.Vips;

namespace Tessera.Testing;

/// <summary>How close two images' pixels are, for round-trip tests of lossy and lossless writers.</summary>
public static class PixelMeasures
{
    /// <summary>
    /// Peak signal-to-noise ratio of 8-bit <paramref name="actual"/> against <paramref name="expected"/> (same size and
    /// bands), in dB; <see cref="double.PositiveInfinity"/> when the pixels are identical.
    /// </summary>
    public static double Psnr(VipsImage actual, VipsImage expected)
    {
        if ((actual.Width, actual.Height, actual.Bands) != (expected.Width, expected.Height, expected.Bands))
        {
            throw new ArgumentException($"Expected images of one size and band count but received {actual.Width}×{actual.Height}×{actual.Bands} and {expected.Width}×{expected.Height}×{expected.Bands}", nameof(actual));
        }

        using var difference = VipsOperation.Image("subtract", ("left", actual), ("right", expected));
        using var squared = VipsOperation.Image("multiply", ("left", difference), ("right", difference));
        var meanSquare = squared.Average();
        return meanSquare == 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255.0 / meanSquare);
    }
}
