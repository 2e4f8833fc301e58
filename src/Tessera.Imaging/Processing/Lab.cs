namespace Tessera.Imaging.Processing;

/// <summary>A CIE L*a*b* colour (D65 white), converted from 8-bit sRGB.</summary>
public readonly record struct Lab(double L, double A, double B)
{
    public static Lab FromSrgb(byte r, byte g, byte b)
    {
        var (rl, gl, bl) = (Linear(r), Linear(g), Linear(b));

        // sRGB primaries to XYZ, normalised by the D65 white point.
        var x = ((0.4124564 * rl) + (0.3575761 * gl) + (0.1804375 * bl)) / 0.95047;
        var y = (0.2126729 * rl) + (0.7151522 * gl) + (0.0721750 * bl);
        var z = ((0.0193339 * rl) + (0.1191920 * gl) + (0.9503041 * bl)) / 1.08883;
        var (fx, fy, fz) = (F(x), F(y), F(z));
        return new Lab((116 * fy) - 16, 500 * (fx - fy), 200 * (fy - fz));
    }

    public double DistanceSquared(Lab other)
    {
        var (dl, da, db) = (L - other.L, A - other.A, B - other.B);
        return (dl * dl) + (da * da) + (db * db);
    }

    private static double Linear(byte value)
    {
        var c = value / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
    }

    private static double F(double t) => t > 216.0 / 24389 ? Math.Cbrt(t) : ((24389.0 / 27 * t) + 16) / 116;
}
