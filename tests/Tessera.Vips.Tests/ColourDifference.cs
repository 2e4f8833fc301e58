namespace Tessera.Vips.Tests;

/// <summary>
/// CIEDE2000 colour difference between 8-bit sRGB pixels (Sharma, Wu and Dalal, "The CIEDE2000 Color-Difference
/// Formula: Implementation Notes", 2005), for comparing two engines' colour management. One ΔE00 is about the smallest
/// difference an observer notices side by side.
/// </summary>
internal static class ColourDifference
{
    /// <summary>Mean and largest ΔE00 over the pixels of two interleaved images (the first three bands of each pixel).</summary>
    public static (double Mean, double Max) Compare(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual, int bands)
    {
        Assert.Equal(expected.Length, actual.Length);
        double sum = 0, max = 0;
        var pixels = expected.Length / bands;
        for (var i = 0; i < expected.Length; i += bands)
        {
            var e = DeltaE2000(Lab(expected[i], expected[i + 1], expected[i + 2]), Lab(actual[i], actual[i + 1], actual[i + 2]));
            sum += e;
            max = Math.Max(max, e);
        }

        return (sum / pixels, max);
    }

    /// <summary>CIE L*a*b* (D65 white) of an sRGB colour.</summary>
    public static (double L, double A, double B) Lab(byte r, byte g, byte b)
    {
        double Linear(byte v)
        {
            var c = v / 255.0;
            return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }

        static double F(double t) => t > 216.0 / 24389 ? Math.Cbrt(t) : ((24389.0 / 27 * t) + 16) / 116;

        var (rl, gl, bl) = (Linear(r), Linear(g), Linear(b));
        var x = ((0.4124564 * rl) + (0.3575761 * gl) + (0.1804375 * bl)) / 0.95047;
        var y = (0.2126729 * rl) + (0.7151522 * gl) + (0.0721750 * bl);
        var z = ((0.0193339 * rl) + (0.1191920 * gl) + (0.9503041 * bl)) / 1.08883;
        var (fx, fy, fz) = (F(x), F(y), F(z));
        return ((116 * fy) - 16, 500 * (fx - fy), 200 * (fy - fz));
    }

    public static double DeltaE2000((double L, double A, double B) first, (double L, double A, double B) second)
    {
        const double Pow25To7 = 6103515625.0; // 25^7
        var (l1, a1, b1) = first;
        var (l2, a2, b2) = second;

        var cBar = (Math.Sqrt((a1 * a1) + (b1 * b1)) + Math.Sqrt((a2 * a2) + (b2 * b2))) / 2;
        var cBar7 = Math.Pow(cBar, 7);
        var g = 0.5 * (1 - Math.Sqrt(cBar7 / (cBar7 + Pow25To7)));
        var a1p = (1 + g) * a1;
        var a2p = (1 + g) * a2;
        var c1p = Math.Sqrt((a1p * a1p) + (b1 * b1));
        var c2p = Math.Sqrt((a2p * a2p) + (b2 * b2));
        var h1p = Hue(b1, a1p);
        var h2p = Hue(b2, a2p);

        var dLp = l2 - l1;
        var dCp = c2p - c1p;
        double dhp;
        if (c1p * c2p == 0)
        {
            dhp = 0;
        }
        else if (Math.Abs(h2p - h1p) <= 180)
        {
            dhp = h2p - h1p;
        }
        else
        {
            dhp = h2p - h1p > 180 ? h2p - h1p - 360 : h2p - h1p + 360;
        }

        var dHp = 2 * Math.Sqrt(c1p * c2p) * Math.Sin(Radians(dhp / 2));

        var lBarP = (l1 + l2) / 2;
        var cBarP = (c1p + c2p) / 2;
        double hBarP;
        if (c1p * c2p == 0)
        {
            hBarP = h1p + h2p;
        }
        else if (Math.Abs(h1p - h2p) <= 180)
        {
            hBarP = (h1p + h2p) / 2;
        }
        else
        {
            hBarP = h1p + h2p < 360 ? (h1p + h2p + 360) / 2 : (h1p + h2p - 360) / 2;
        }

        var t = 1 - (0.17 * Math.Cos(Radians(hBarP - 30))) + (0.24 * Math.Cos(Radians(2 * hBarP)))
            + (0.32 * Math.Cos(Radians((3 * hBarP) + 6))) - (0.20 * Math.Cos(Radians((4 * hBarP) - 63)));
        var dTheta = 30 * Math.Exp(-Math.Pow((hBarP - 275) / 25, 2));
        var cBarP7 = Math.Pow(cBarP, 7);
        var rc = 2 * Math.Sqrt(cBarP7 / (cBarP7 + Pow25To7));
        var lMinus50 = (lBarP - 50) * (lBarP - 50);
        var sl = 1 + (0.015 * lMinus50 / Math.Sqrt(20 + lMinus50));
        var sc = 1 + (0.045 * cBarP);
        var sh = 1 + (0.015 * cBarP * t);
        var rt = -Math.Sin(Radians(2 * dTheta)) * rc;

        var (tl, tc, th) = (dLp / sl, dCp / sc, dHp / sh);
        return Math.Sqrt((tl * tl) + (tc * tc) + (th * th) + (rt * tc * th));
    }

    private static double Hue(double b, double a)
    {
        if (a == 0 && b == 0)
        {
            return 0;
        }

        var h = Math.Atan2(b, a) * 180 / Math.PI;
        return h < 0 ? h + 360 : h;
    }

    private static double Radians(double degrees) => degrees * Math.PI / 180;
}
