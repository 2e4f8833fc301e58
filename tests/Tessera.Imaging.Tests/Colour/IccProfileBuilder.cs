using System.Buffers.Binary;
using System.Text;

namespace Tessera.Imaging.Tests.Colour;

/// <summary>
/// Writes small matrix/TRC RGB profiles byte by byte, in the shapes real writers use: v2 with a <c>desc</c> text
/// description and sampled <c>curv</c> tables (HP/Microsoft), v4 with <c>mluc</c> and <c>para</c> curves (Skia, lcms).
/// </summary>
internal sealed class IccProfileBuilder
{
    public static readonly double[] SrgbRed = [0.4361, 0.2225, 0.0139];
    public static readonly double[] SrgbGreen = [0.3851, 0.7169, 0.0971];
    public static readonly double[] SrgbBlue = [0.1431, 0.0606, 0.7141];
    public static readonly double[] AdobeRed = [0.6097, 0.3111, 0.0195];
    public static readonly double[] AdobeGreen = [0.2053, 0.6257, 0.0609];
    public static readonly double[] AdobeBlue = [0.1492, 0.0632, 0.7446];
    public static readonly double[] D50 = [0.9642, 1.0, 0.8249];
    public static readonly double[] D65 = [0.9505, 1.0, 1.0891];

    private readonly List<(string Signature, byte[] Data)> _tags = [];

    public int Version { get; init; } = 4;

    public string DeviceClass { get; init; } = "mntr";

    public string ColourSpace { get; init; } = "RGB ";

    public string Pcs { get; init; } = "XYZ ";

    /// <summary>An sRGB profile of the given version, with the curve given (or sRGB's own <c>para</c> type 3).</summary>
    public static IccProfileBuilder Srgb(int version = 4, byte[]? curve = null, double[]? white = null, string description = "sRGB")
    {
        var builder = new IccProfileBuilder { Version = version };
        builder.Add("desc", version >= 4 ? Mluc(description) : Desc(description));
        builder.Add("wtpt", Xyz(white ?? D50));
        builder.Add("rXYZ", Xyz(SrgbRed)).Add("gXYZ", Xyz(SrgbGreen)).Add("bXYZ", Xyz(SrgbBlue));
        var trc = curve ?? Para(3, 2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045);
        return builder.Add("rTRC", trc).Add("gTRC", trc).Add("bTRC", trc);
    }

    public IccProfileBuilder Add(string signature, byte[] data)
    {
        _tags.RemoveAll(t => t.Signature == signature);
        _tags.Add((signature, data));
        return this;
    }

    public byte[] Build()
    {
        var tableEnd = 128 + 4 + (12 * _tags.Count);
        var offsets = new List<int>();
        var offset = tableEnd;
        foreach (var (_, data) in _tags)
        {
            offsets.Add(offset);
            offset += (data.Length + 3) & ~3;
        }

        var profile = new byte[offset];
        BinaryPrimitives.WriteUInt32BigEndian(profile, (uint)profile.Length);
        Encoding.ASCII.GetBytes("test").CopyTo(profile, 4);
        profile[8] = (byte)Version;
        profile[9] = Version >= 4 ? (byte)0x40 : (byte)0x10;
        Encoding.ASCII.GetBytes(DeviceClass).CopyTo(profile, 12);
        Encoding.ASCII.GetBytes(ColourSpace).CopyTo(profile, 16);
        Encoding.ASCII.GetBytes(Pcs).CopyTo(profile, 20);
        Encoding.ASCII.GetBytes("acsp").CopyTo(profile, 36);
        Xyz(D50).AsSpan(8).CopyTo(profile.AsSpan(68));
        BinaryPrimitives.WriteUInt32BigEndian(profile.AsSpan(128), (uint)_tags.Count);
        for (var i = 0; i < _tags.Count; i++)
        {
            var entry = profile.AsSpan(132 + (12 * i));
            Encoding.ASCII.GetBytes(_tags[i].Signature).CopyTo(entry);
            BinaryPrimitives.WriteUInt32BigEndian(entry[4..], (uint)offsets[i]);
            BinaryPrimitives.WriteUInt32BigEndian(entry[8..], (uint)_tags[i].Data.Length);
            _tags[i].Data.CopyTo(profile, offsets[i]);
        }

        return profile;
    }

    public static byte[] Xyz(double[] xyz)
    {
        var tag = new byte[20];
        Encoding.ASCII.GetBytes("XYZ ").CopyTo(tag, 0);
        for (var i = 0; i < 3; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(tag.AsSpan(8 + (4 * i)), (int)Math.Round(xyz[i] * 65536));
        }

        return tag;
    }

    public static byte[] Para(int function, params double[] parameters)
    {
        var tag = new byte[12 + (4 * parameters.Length)];
        Encoding.ASCII.GetBytes("para").CopyTo(tag, 0);
        BinaryPrimitives.WriteUInt16BigEndian(tag.AsSpan(8), (ushort)function);
        for (var i = 0; i < parameters.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(tag.AsSpan(12 + (4 * i)), (int)Math.Round(parameters[i] * 65536));
        }

        return tag;
    }

    /// <summary>A <c>curv</c> tag sampling a function at the given number of points (1 entry: a gamma).</summary>
    public static byte[] Curv(int entries, Func<double, double> function)
    {
        var tag = new byte[12 + (2 * entries)];
        Encoding.ASCII.GetBytes("curv").CopyTo(tag, 0);
        BinaryPrimitives.WriteUInt32BigEndian(tag.AsSpan(8), (uint)entries);
        for (var i = 0; i < entries; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(tag.AsSpan(12 + (2 * i)), (ushort)Math.Round(function(i / (double)(entries - 1)) * 65535));
        }

        return tag;
    }

    public static byte[] Gamma(double gamma)
    {
        var tag = new byte[14];
        Encoding.ASCII.GetBytes("curv").CopyTo(tag, 0);
        BinaryPrimitives.WriteUInt32BigEndian(tag.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt16BigEndian(tag.AsSpan(12), (ushort)Math.Round(gamma * 256));
        return tag;
    }

    public static double SrgbEotf(double v) => v <= 0.04045 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4);

    public static byte[] Desc(string text)
    {
        var ascii = Encoding.ASCII.GetBytes(text + "\0");
        var tag = new byte[12 + ascii.Length + 4 + 4 + 67];
        Encoding.ASCII.GetBytes("desc").CopyTo(tag, 0);
        BinaryPrimitives.WriteUInt32BigEndian(tag.AsSpan(8), (uint)ascii.Length);
        ascii.CopyTo(tag, 12);
        return tag;
    }

    public static byte[] Mluc(string text)
    {
        var utf16 = Encoding.BigEndianUnicode.GetBytes(text);
        var tag = new byte[28 + utf16.Length];
        Encoding.ASCII.GetBytes("mluc").CopyTo(tag, 0);
        BinaryPrimitives.WriteUInt32BigEndian(tag.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt32BigEndian(tag.AsSpan(12), 12);
        Encoding.ASCII.GetBytes("enUS").CopyTo(tag, 16);
        BinaryPrimitives.WriteUInt32BigEndian(tag.AsSpan(20), (uint)utf16.Length);
        BinaryPrimitives.WriteUInt32BigEndian(tag.AsSpan(24), 28);
        utf16.CopyTo(tag, 28);
        return tag;
    }
}
