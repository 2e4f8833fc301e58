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

    private readonly float[] _red;
    private readonly float[] _green;
    private readonly float[] _blue;
    private readonly float[] _matrix;

    internal MatrixShaper(double[] red, double[] green, double[] blue, Func<double, double> redCurve, Func<double, double> greenCurve, Func<double, double> blueCurve)
    {
        _red = Table(redCurve);
        _green = Table(greenCurve);
        _blue = Table(blueCurve);

        // Linear profile RGB → XYZ (D50) → linear sRGB, scaled to the encoding table's index range.
        var toXyz = new double[,] { { red[0], green[0], blue[0] }, { red[1], green[1], blue[1] }, { red[2], green[2], blue[2] } };
        var fromXyz = Invert(SrgbToXyz);
        _matrix = new float[9];
        for (var row = 0; row < 3; row++)
        {
            for (var column = 0; column < 3; column++)
            {
                double sum = 0;
                for (var k = 0; k < 3; k++)
                {
                    sum += fromXyz[row, k] * toXyz[k, column];
                }

                _matrix[(row * 3) + column] = (float)(sum * Steps);
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

        float m0 = _matrix[0], m1 = _matrix[1], m2 = _matrix[2], m3 = _matrix[3], m4 = _matrix[4], m5 = _matrix[5], m6 = _matrix[6], m7 = _matrix[7], m8 = _matrix[8];
        var encode = Encode;
        for (var y = 0; y < rows; y++)
        {
            var input = source.Slice(y * sourceStride, width * bands);
            var output = destination.Slice(y * destinationStride, width * bands);
            for (var i = 0; i < input.Length; i += bands)
            {
                float r = _red[input[i]], g = _green[input[i + 1]], b = _blue[input[i + 2]];
                output[i] = encode[Index((m0 * r) + (m1 * g) + (m2 * b))];
                output[i + 1] = encode[Index((m3 * r) + (m4 * g) + (m5 * b))];
                output[i + 2] = encode[Index((m6 * r) + (m7 * g) + (m8 * b))];
                if (bands == 4)
                {
                    output[i + 3] = input[i + 3];
                }
            }
        }
    }

    /// <summary>A value scaled to 0..<see cref="Steps"/>, clipped (out of sRGB's gamut), rounded.</summary>
    private static int Index(float value) => (int)Math.Clamp(value + 0.5f, 0f, Steps);

    private static float[] Table(Func<double, double> curve)
    {
        var table = new float[256];
        for (var code = 0; code < 256; code++)
        {
            table[code] = (float)Math.Clamp(curve(code / 255.0), 0, 1);
        }

        return table;
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
