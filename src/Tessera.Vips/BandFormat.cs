namespace Tessera.Vips;

/// <summary>libvips' <c>VipsBandFormat</c>: the numeric type of one band of one pixel.</summary>
public enum BandFormat
{
    UChar = 0,
    Char = 1,
    UShort = 2,
    Short = 3,
    UInt = 4,
    Int = 5,
    Float = 6,
    Complex = 7,
    Double = 8,
    DpComplex = 9,
}
