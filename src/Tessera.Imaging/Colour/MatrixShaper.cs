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
    /// What each input code adds to each output channel, in 1/16 steps of the encoding table: nine 256-entry tables
    /// (output channel × input channel), so a pixel is nine lookups, three sums and three encodings, with no
    /// multiplication and no floating point.
    /// </summary>
    private readonly int[] _contributions = new int[9 * 256];

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
                    _contributions[(((output * 3) + input) * 256) + code] = (int)Math.Round(coefficient * linear * Steps * (1 << Fraction));
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

        var c = _contributions.AsSpan();
        ReadOnlySpan<int> rr = c[..256], rg = c[256..512], rb = c[512..768], gr = c[768..1024], gg = c[1024..1280], gb = c[1280..1536], br = c[1536..1792], bg = c[1792..2048], bb = c[2048..2304];
        ReadOnlySpan<byte> encode = Encode;
        for (var y = 0; y < rows; y++)
        {
            var input = source.Slice(y * sourceStride, width * bands);
            var output = destination.Slice(y * destinationStride, width * bands);
            for (var i = 0; i + 2 < input.Length; i += bands)
            {
                int r = input[i], g = input[i + 1], b = input[i + 2];
                var alpha = bands == 4 ? input[i + 3] : (byte)0;
                output[i] = encode[Index(rr[r] + rg[g] + rb[b])];
                output[i + 1] = encode[Index(gr[r] + gg[g] + gb[b])];
                output[i + 2] = encode[Index(br[r] + bg[g] + bb[b])];
                if (bands == 4)
                {
                    output[i + 3] = alpha;
                }
            }
        }
    }

    /// <summary>A sum of contributions as an index of the encoding table: rounded, clipped (out of sRGB's gamut).</summary>
    private static int Index(int sum) => Math.Clamp((sum + (1 << (Fraction - 1))) >> Fraction, 0, Steps);

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
