namespace Tessera.Imaging.Colour;

/// <summary>The data colour space of an ICC profile (header field "data colour space", ICC.1:2022 §7.2.6): what the image's samples mean.</summary>
public enum IccColourSpace
{
    /// <summary>'RGB ': three channels.</summary>
    Rgb,

    /// <summary>'GRAY': one channel.</summary>
    Gray,

    /// <summary>'CMYK': four ink channels.</summary>
    Cmyk,

    /// <summary>'Lab ': CIELAB samples.</summary>
    Lab,

    /// <summary>Any other signature (XYZ, YCbCr, n-colour...).</summary>
    Other,
}
