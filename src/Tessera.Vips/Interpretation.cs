namespace Tessera.Vips;

/// <summary>libvips' <c>VipsInterpretation</c>: how to read the bands.</summary>
public enum Interpretation
{
    Multiband = 0,
    BW = 1,
    Histogram = 10,
    Xyz = 12,
    Lab = 13,
    Cmyk = 15,
    Labq = 16,
    Rgb = 17,
    Cmc = 18,
    Lch = 19,
    Labs = 21,
    Srgb = 22,
    Yxy = 23,
    Fourier = 24,
    Rgb16 = 25,
    Grey16 = 26,
    Matrix = 27,
    ScRgb = 28,
    Hsv = 29,
}
