using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Tessera.Imaging.Colour;

/// <summary>
/// The transform of an RGB matrix/TRC profile (Adobe RGB, eciRGB, ProPhoto, most camera and scanner profiles) to sRGB,
/// relative colorimetric, in managed code: each channel through its tone curve (a 256-entry table), one 3×3 matrix
/// (the profile's D50 colourants, then sRGB's inverted), clipped, and sRGB's encoding (a 16,384-entry table, shared:
/// small enough to stay in the L1 cache, fine enough to be off by at most one level near black, where the curve is steepest).
/// That is the whole of what LittleCMS computes for such a profile without black point compensation, at a few
/// nanoseconds a pixel instead of about fifteen: a converted 256 px tile is mostly decode and encode again.
/// Profiles with A2B tables go to LittleCMS, which prefers those tables (so would libvips).
/// </summary>
public sealed class MatrixShaper
{
    /// <summary>sRGB's colourants adapted to D50 (the columns of linear sRGB → XYZ), as sRGB profiles and LittleCMS carry them.</summary>
    private static readonly double[,] SrgbToXyz =
    {
        { 0.436066, 0.385147, 0.143066 },
        { 0.222488, 0.716873, 0.060608 },
        { 0.013916, 0.097076, 0.714096 },
    };

    /// <summary>Steps of linear light in the encoding table.</summary>
    private const int Steps = 16383;

    /// <summary>Linear light (0..<see cref="Steps"/>) to sRGB's 8-bit code, rounded: one table for every profile.</summary>
    private static readonly byte[] Encode = BuildEncode();

    /// <summary>Fractional bits of the contributions: they are summed in 1/16 steps of the encoding table, then rounded.</summary>
    private const int Fraction = 4;

    /// <summary>
    /// What each input code adds to the three output channels, in 1/16 steps of the encoding table: for each input
    /// channel 256 vectors (red, green, blue, 0), so a pixel is three vector lookups, two vector sums, one rounding and
    /// clip for all three channels at once, and three encodings, with no multiplication, no floating point and no
    /// branch (a scalar version, nine lookups and three clamps a pixel, took about twice as long).
    /// </summary>
    private readonly Vector128<int>[] _contributions = new Vector128<int>[3 * 256];

    internal MatrixShaper(double[] red, double[] green, double[] blue, Func<double, double> redCurve, Func<double, double> greenCurve, Func<double, double> blueCurve)
    {
        // Linear profile RGB → XYZ (D50) → linear sRGB: one matrix, applied to each channel's decoded curve.
        var toXyz = new double[,] { { red[0], green[0], blue[0] }, { red[1], green[1], blue[1] }, { red[2], green[2], blue[2] } };
        var fromXyz = Invert(SrgbToXyz);
        Func<double, double>[] curves = [redCurve, greenCurve, blueCurve];
        for (var output = 0; output < 3; output++)
        {
            for (var input = 0; input < 3; input++)
            {
                double coefficient = 0;
                for (var k = 0; k < 3; k++)
                {
                    coefficient += fromXyz[output, k] * toXyz[k, input];
                }

                for (var code = 0; code < 256; code++)
                {
                    var linear = Math.Clamp(curves[input](code / 255.0), 0, 1);
                    ref var slot = ref _contributions[(input * 256) + code];
                    slot = slot.WithElement(output, (int)Math.Round(coefficient * linear * Steps * (1 << Fraction)));
                }
            }
        }
    }

    /// <summary>
    /// Transforms <paramref name="rows"/> rows of <paramref name="width"/> pixels of <paramref name="bands"/> bytes (3:
    /// RGB, 4: RGBA, alpha copied). Rows lie <paramref name="sourceStride"/> and <paramref name="destinationStride"/> bytes
    /// apart; source and destination may be the same pixels with the same stride.
    /// </summary>
    public void Transform(ReadOnlySpan<byte> source, Span<byte> destination, int width, int rows, int bands, int sourceStride, int destinationStride)
    {
        if (bands is not (3 or 4))
        {
            throw new ArgumentOutOfRangeException(nameof(bands), bands, "Expected 3 or 4 bands");
        }

        if (rows > 0 && (source.Length < ((rows - 1) * sourceStride) + (width * bands) || destination.Length < ((rows - 1) * destinationStride) + (width * bands)))
        {
            throw new ArgumentException($"Expected buffers of {rows} rows of {width} pixels of {bands} bytes");
        }

        // Unchecked reads: the lengths were checked above, a code indexes 256 entries, an index is clipped to the table.
        ref var red = ref MemoryMarshal.GetArrayDataReference(_contributions);
        ref var green = ref Unsafe.Add(ref red, 256);
        ref var blue = ref Unsafe.Add(ref red, 512);
        ref var encode = ref MemoryMarshal.GetArrayDataReference(Encode);
        var half = Vector128.Create(1 << (Fraction - 1));
        var last = Vector128.Create(Steps);
        for (var y = 0; y < rows; y++)
        {
            ref var input = ref Unsafe.Add(ref MemoryMarshal.GetReference(source), y * sourceStride);
            ref var output = ref Unsafe.Add(ref MemoryMarshal.GetReference(destination), y * destinationStride);
            for (var i = 0; i < width * bands; i += bands)
            {
                var sum = Unsafe.Add(ref red, Unsafe.Add(ref input, i)) + Unsafe.Add(ref green, Unsafe.Add(ref input, i + 1)) + Unsafe.Add(ref blue, Unsafe.Add(ref input, i + 2));

                // Rounded, and clipped to the table (out of sRGB's gamut), the three channels at once.
                var index = Vector128.Min(Vector128.Max(Vector128.ShiftRightArithmetic(sum + half, Fraction), Vector128<int>.Zero), last);
                if (bands == 4)
                {
                    Unsafe.Add(ref output, i + 3) = Unsafe.Add(ref input, i + 3);
                }

                Unsafe.Add(ref output, i) = Unsafe.Add(ref encode, index.GetElement(0));
                Unsafe.Add(ref output, i + 1) = Unsafe.Add(ref encode, index.GetElement(1));
                Unsafe.Add(ref output, i + 2) = Unsafe.Add(ref encode, index.GetElement(2));
            }
        }
    }

    private static byte[] BuildEncode()
    {
        var table = new byte[Steps + 1];
        for (var i = 0; i < table.Length; i++)
        {
            table[i] = (byte)Math.Round(IccProfile.LinearToSrgb(i / (double)Steps) * 255);
        }

        return table;
    }

    private static double[,] Invert(double[,] m)
    {
        var det = (m[0, 0] * ((m[1, 1] * m[2, 2]) - (m[1, 2] * m[2, 1])))
            - (m[0, 1] * ((m[1, 0] * m[2, 2]) - (m[1, 2] * m[2, 0])))
            + (m[0, 2] * ((m[1, 0] * m[2, 1]) - (m[1, 1] * m[2, 0])));
        return new double[,]
        {
            { ((m[1, 1] * m[2, 2]) - (m[1, 2] * m[2, 1])) / det, ((m[0, 2] * m[2, 1]) - (m[0, 1] * m[2, 2])) / det, ((m[0, 1] * m[1, 2]) - (m[0, 2] * m[1, 1])) / det },
            { ((m[1, 2] * m[2, 0]) - (m[1, 0] * m[2, 2])) / det, ((m[0, 0] * m[2, 2]) - (m[0, 2] * m[2, 0])) / det, ((m[0, 2] * m[1, 0]) - (m[0, 0] * m[1, 2])) / det },
            { ((m[1, 0] * m[2, 1]) - (m[1, 1] * m[2, 0])) / det, ((m[0, 1] * m[2, 0]) - (m[0, 0] * m[2, 1])) / det, ((m[0, 0] * m[1, 1]) - (m[0, 1] * m[1, 0])) / det },
        };
    }
}
