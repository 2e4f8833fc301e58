namespace Tessera.Imaging.Jpeg;

/// <summary>
/// The JPEG marker codes (ITU T.81, table B.1) that the stream code here names: the second byte of a marker, after 0xFF.
/// </summary>
internal static class JpegMarkers
{
    /// <summary>Start of image.</summary>
    public const byte Soi = 0xD8;

    /// <summary>End of image.</summary>
    public const byte Eoi = 0xD9;

    /// <summary>Start of scan: the entropy-coded data follows its header.</summary>
    public const byte Sos = 0xDA;

    /// <summary>Define Huffman tables.</summary>
    public const byte Dht = 0xC4;

    /// <summary>Define restart interval.</summary>
    public const byte Dri = 0xDD;

    /// <summary>JFIF's application segment.</summary>
    public const byte App0 = 0xE0;

    /// <summary>Adobe's application segment (says whether the components are YCbCr or RGB).</summary>
    public const byte App14 = 0xEE;

    /// <summary>Temporary private use: a marker without a length.</summary>
    public const byte Tem = 0x01;

    /// <summary>Baseline sequential DCT frame header (SOF0).</summary>
    public const byte Sof0 = 0xC0;

    /// <summary>Extended sequential DCT frame header, Huffman coding (SOF1).</summary>
    public const byte Sof1 = 0xC1;

    /// <summary>Whether <paramref name="marker"/> is a frame header, SOF0 to SOF15 (C4, C8 and CC in that range are DHT, JPG and DAC).</summary>
    public static bool IsFrameHeader(byte marker) => marker is >= 0xC0 and <= 0xCF && marker is not (0xC4 or 0xC8 or 0xCC);

    /// <summary>Whether <paramref name="marker"/> stands alone, without a length: SOI, EOI, TEM and the restart markers RST0..RST7.</summary>
    public static bool IsStandalone(byte marker) => marker is Soi or Eoi or Tem || marker is >= 0xD0 and <= 0xD7;
}
