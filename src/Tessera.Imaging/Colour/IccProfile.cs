using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Tessera.Imaging.Colour;

/// <summary>
/// An ICC colour profile embedded in a source (ICC.1:2022, and v2 ICC.1:2001-04), parsed just enough to decide whether
/// its pixels are already plain sRGB, so that the renderer can skip a colour transform that would change nothing and the
/// stored-tile fast paths can serve them.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="IsSrgb"/> is decided from what the profile does, never from its name: a profile called "sRGB" with Adobe RGB
/// primaries is not sRGB, and an unnamed one with sRGB's colourants and curve is. A profile counts as sRGB when it is a
/// matrix/TRC RGB profile (display or colour-space class, PCS XYZ) whose rXYZ/gXYZ/bXYZ equal sRGB's D50-adapted
/// colourants within <see cref="ColourantTolerance"/> (the sRGB profiles of colord, Ghostscript, icc-profiles-free and
/// libvips differ from them by at most 0.0003; the tolerance leaves room for other rounding and adaptation variants while
/// staying far from any other RGB space), whose media white point is D50 (v4, most v2) or D65 (older v2 ones such as
/// Ghostscript's and icc-profiles-free's, which put the illuminant there; a relative-intent transform does not use it),
/// and whose three tone curves each map every 8-bit code to within <see cref="CurveToleranceLevels"/> of a level of where
/// sRGB's own curve maps it: sampled <c>curv</c> tables of any length (1024 and 4096 entries, the 26-entry compact ones), and <c>para</c> curves
/// (type 3 or 4 with sRGB's parameters) alike, because the curve is evaluated rather than its parameters compared.
/// </para>
/// <para>
/// A profile that also carries A2B0/B2A0 lookup tables next to a matching matrix/TRC still counts as sRGB. The tables
/// are what a CMM would use for a relative-intent transform, so in principle they could disagree with the matrix. The
/// decision trusts the matrix/TRC: the writers that add such tables (for perceptual gamut mapping) describe the same
/// sRGB with them, skipping the transform keeps these common profiles on the fast paths, and a profile whose tables
/// contradicted its own matrix would be inconsistent whichever part a reader chose.
/// A table-only profile (such as the ICC's "sRGB v4 ICC preference") is not recognised and is transformed: correct, only
/// slower.
/// </para>
/// <para>
/// <see cref="TryParse"/> reads untrusted bytes: it checks every offset against the data, does work linear in the data's
/// length (at most 200 tags, 256 evaluations per curve), and returns null instead of throwing for anything malformed.
/// </para>
/// </remarks>
public sealed class IccProfile
{
    /// <summary>How far each colourant's X, Y, Z may be from sRGB's (s15Fixed16 rounding and chromatic-adaptation variants).</summary>
    public const double ColourantTolerance = 0.003;

    /// <summary>How far, in 8-bit levels, a tone curve may move any code from where sRGB's curve puts it.</summary>
    public const double CurveToleranceLevels = 1.0;

    private const int HeaderSize = 128;
    private const int MaxTags = 200;
    private const int MaxDescriptionChars = 512;
    private const double WhiteTolerance = 0.003;

    // sRGB's primaries adapted to D50 with Bradford, as s15Fixed16 profiles store them (IEC 61966-2-1 Amd 1, ICC's sRGB profiles).
    private static readonly double[][] SrgbColourants =
    [
        [0.4361, 0.2225, 0.0139],
        [0.3851, 0.7169, 0.0971],
        [0.1431, 0.0606, 0.7141],
    ];

    private static readonly double[] D50 = [0.9642, 1.0, 0.8249];
    private static readonly double[] D65 = [0.9505, 1.0, 1.0891];

    private IccProfile(byte[] data, IccColourSpace colourSpace, int version, string? description, bool isSrgb)
    {
        Data = data;
        Hash = Convert.ToHexStringLower(SHA256.HashData(data));
        ColourSpace = colourSpace;
        Version = version;
        Description = description;
        IsSrgb = isSrgb;
    }

    /// <summary>The profile's bytes exactly as embedded in the source.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Lower-case hex SHA-256 of <see cref="Data"/>: equal profiles have equal hashes, so it keys caches of transforms.</summary>
    public string Hash { get; }

    /// <summary>What the image's samples mean (the header's data colour space).</summary>
    public IccColourSpace ColourSpace { get; }

    /// <summary>The major version of the profile format (2 or 4, in practice).</summary>
    public int Version { get; }

    /// <summary>The profile's description tag (<c>desc</c>: v2 textDescriptionType, v4 multiLocalizedUnicodeType, English preferred), or null.</summary>
    public string? Description { get; }

    /// <summary>Whether the profile describes plain sRGB, so pixels tagged with it need no transform to become sRGB (see the remarks on the type).</summary>
    public bool IsSrgb { get; }

    /// <summary>The managed transform to sRGB of a matrix/TRC RGB profile without A2B tables; null for others (LittleCMS transforms them).</summary>
    public MatrixShaper? Shaper { get; private init; }

    /// <summary>
    /// Parses a profile, or returns null when the bytes are not a well-formed one: shorter than a header and tag count,
    /// no <c>acsp</c> signature, a declared size below that or beyond the data, no tags, a tag table or tag past the
    /// declared size, or a tag this parser reads (<c>desc</c>, colourants, white point, tone curves) of the wrong type or
    /// too short for what it declares. Bytes after the declared size are ignored (and kept in <see cref="Data"/>).
    /// </summary>
    public static IccProfile? TryParse(ReadOnlySpan<byte> data)
    {
        if (data.Length < HeaderSize + 4 || !data.Slice(36, 4).SequenceEqual("acsp"u8))
        {
            return null;
        }

        var declared = BinaryPrimitives.ReadUInt32BigEndian(data);
        if (declared < HeaderSize + 4 || declared > (uint)data.Length)
        {
            return null;
        }

        var profile = data[..(int)declared];
        var count = BinaryPrimitives.ReadUInt32BigEndian(profile[HeaderSize..]);
        if (count == 0 || count > MaxTags || HeaderSize + 4 + (count * 12) > (uint)profile.Length)
        {
            return null;
        }

        var tags = new Dictionary<uint, (int Offset, int Length)>();
        for (var i = 0; i < (int)count; i++)
        {
            var entry = profile.Slice(HeaderSize + 4 + (i * 12), 12);
            var offset = BinaryPrimitives.ReadUInt32BigEndian(entry[4..]);
            var length = BinaryPrimitives.ReadUInt32BigEndian(entry[8..]);
            if (length < 8 || offset < HeaderSize + 4 || (ulong)offset + length > (ulong)profile.Length)
            {
                return null;
            }

            tags.TryAdd(BinaryPrimitives.ReadUInt32BigEndian(entry), ((int)offset, (int)length));
        }

        var colourSpace = ReadColourSpace(profile.Slice(16, 4));
        if (!TryReadDescription(profile, tags, out var description)
            || !TryReadXyz(profile, tags, "rXYZ", out var red) || !TryReadXyz(profile, tags, "gXYZ", out var green)
            || !TryReadXyz(profile, tags, "bXYZ", out var blue) || !TryReadXyz(profile, tags, "wtpt", out var white)
            || !TryReadCurve(profile, tags, "rTRC", out var redCurve) || !TryReadCurve(profile, tags, "gTRC", out var greenCurve)
            || !TryReadCurve(profile, tags, "bTRC", out var blueCurve))
        {
            return null;
        }

        var isSrgb = colourSpace == IccColourSpace.Rgb
            && (profile.Slice(12, 4).SequenceEqual("mntr"u8) || profile.Slice(12, 4).SequenceEqual("spac"u8))
            && profile.Slice(20, 4).SequenceEqual("XYZ "u8)
            && Near(red, SrgbColourants[0], ColourantTolerance) && Near(green, SrgbColourants[1], ColourantTolerance)
            && Near(blue, SrgbColourants[2], ColourantTolerance)
            && (Near(white, D50, WhiteTolerance) || Near(white, D65, WhiteTolerance))
            && IsSrgbCurve(redCurve) && IsSrgbCurve(greenCurve) && IsSrgbCurve(blueCurve);

        // A matrix/TRC RGB profile without A2B tables (which LittleCMS and libvips would use first) transforms in managed code.
        var shaper = colourSpace == IccColourSpace.Rgb && !isSrgb && profile.Slice(20, 4).SequenceEqual("XYZ "u8)
            && red is not null && green is not null && blue is not null && redCurve is not null && greenCurve is not null && blueCurve is not null
            && !tags.ContainsKey(Signature("A2B0")) && !tags.ContainsKey(Signature("A2B1")) && !tags.ContainsKey(Signature("A2B2"))
            ? new MatrixShaper(red, green, blue, redCurve, greenCurve, blueCurve)
            : null;
        return new IccProfile(data.ToArray(), colourSpace, profile[8], description, isSrgb) { Shaper = shaper };
    }

    /// <summary>sRGB's decoding function (IEC 61966-2-1): encoded value to linear light.</summary>
    internal static double SrgbToLinear(double v) => v <= 0.04045 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4);

    /// <summary>sRGB's encoding function: linear light to encoded value.</summary>
    internal static double LinearToSrgb(double l) => l <= 0.0031308 ? l * 12.92 : (1.055 * Math.Pow(l, 1 / 2.4)) - 0.055;

    private static IccColourSpace ReadColourSpace(ReadOnlySpan<byte> signature) => signature switch
    {
        [(byte)'R', (byte)'G', (byte)'B', (byte)' '] => IccColourSpace.Rgb,
        [(byte)'G', (byte)'R', (byte)'A', (byte)'Y'] => IccColourSpace.Gray,
        [(byte)'C', (byte)'M', (byte)'Y', (byte)'K'] => IccColourSpace.Cmyk,
        [(byte)'L', (byte)'a', (byte)'b', (byte)' '] => IccColourSpace.Lab,
        _ => IccColourSpace.Other,
    };

    private static uint Signature(string tag) => BinaryPrimitives.ReadUInt32BigEndian(Encoding.ASCII.GetBytes(tag));

    /// <summary>The tag's bytes, or an empty span (found false) when the profile has no such tag.</summary>
    private static ReadOnlySpan<byte> Tag(ReadOnlySpan<byte> profile, Dictionary<uint, (int Offset, int Length)> tags, string name, out bool found)
    {
        found = tags.TryGetValue(Signature(name), out var at);
        return found ? profile.Slice(at.Offset, at.Length) : [];
    }

    private static double S15Fixed16(ReadOnlySpan<byte> bytes) => BinaryPrimitives.ReadInt32BigEndian(bytes) / 65536.0;

    /// <summary>An XYZType tag's first value; an absent tag reads as null (true), a malformed one fails (false).</summary>
    private static bool TryReadXyz(ReadOnlySpan<byte> profile, Dictionary<uint, (int Offset, int Length)> tags, string name, out double[]? xyz)
    {
        xyz = null;
        var tag = Tag(profile, tags, name, out var found);
        if (!found)
        {
            return true;
        }

        if (tag.Length < 20 || !tag[..4].SequenceEqual("XYZ "u8))
        {
            return false;
        }

        xyz = [S15Fixed16(tag[8..]), S15Fixed16(tag[12..]), S15Fixed16(tag[16..])];
        return true;
    }

    private static bool Near(double[]? value, double[] expected, double tolerance) =>
        value is not null && Math.Abs(value[0] - expected[0]) <= tolerance && Math.Abs(value[1] - expected[1]) <= tolerance
        && Math.Abs(value[2] - expected[2]) <= tolerance;

    /// <summary>A tone curve (curveType or parametricCurveType) as a function on [0, 1]; absent reads as null (true), malformed fails.</summary>
    private static bool TryReadCurve(ReadOnlySpan<byte> profile, Dictionary<uint, (int Offset, int Length)> tags, string name, out Func<double, double>? curve)
    {
        curve = null;
        var tag = Tag(profile, tags, name, out var found);
        if (!found)
        {
            return true;
        }

        if (tag.Length >= 12 && tag[..4].SequenceEqual("curv"u8))
        {
            var entries = BinaryPrimitives.ReadUInt32BigEndian(tag[8..]);
            if (entries > (uint)(tag.Length - 12) / 2)
            {
                return false;
            }

            if (entries == 0)
            {
                curve = x => x;
            }
            else if (entries == 1)
            {
                var gamma = BinaryPrimitives.ReadUInt16BigEndian(tag[12..]) / 256.0;
                curve = x => Math.Pow(x, gamma);
            }
            else
            {
                var table = new double[entries];
                for (var i = 0; i < table.Length; i++)
                {
                    table[i] = BinaryPrimitives.ReadUInt16BigEndian(tag[(12 + (2 * i))..]) / 65535.0;
                }

                curve = x => Interpolate(table, x);
            }

            return true;
        }

        if (tag.Length >= 12 && tag[..4].SequenceEqual("para"u8))
        {
            var function = BinaryPrimitives.ReadUInt16BigEndian(tag[8..]);
            int[] counts = [1, 3, 4, 5, 7];
            if (function >= counts.Length || tag.Length < 12 + (4 * counts[function]))
            {
                return false;
            }

            var p = new double[7];
            for (var i = 0; i < counts[function]; i++)
            {
                p[i] = S15Fixed16(tag[(12 + (4 * i))..]);
            }

            curve = Parametric(function, p);
            return true;
        }

        return false;
    }

    private static double Interpolate(double[] table, double x)
    {
        var position = Math.Clamp(x, 0, 1) * (table.Length - 1);
        var below = Math.Min((int)position, table.Length - 2);
        var fraction = position - below;
        return table[below] + ((table[below + 1] - table[below]) * fraction);
    }

    /// <summary>The parametric curve functions of ICC.1:2022 §10.18 (g, a, b, c, d, e, f in that order).</summary>
    private static Func<double, double> Parametric(int function, double[] p)
    {
        var (g, a, b, c, d, e, f) = (p[0], p[1], p[2], p[3], p[4], p[5], p[6]);
        return function switch
        {
            0 => x => Math.Pow(x, g),
            1 => x => a != 0 && x >= -b / a ? Math.Pow(Math.Max(0, (a * x) + b), g) : 0,
            2 => x => a != 0 && x >= -b / a ? Math.Pow(Math.Max(0, (a * x) + b), g) + c : c,
            3 => x => x >= d ? Math.Pow(Math.Max(0, (a * x) + b), g) : c * x,
            _ => x => x >= d ? Math.Pow(Math.Max(0, (a * x) + b), g) + e : (c * x) + f,
        };
    }

    /// <summary>Whether the curve moves no 8-bit code more than <see cref="CurveToleranceLevels"/> from where sRGB's curve puts it.</summary>
    private static bool IsSrgbCurve(Func<double, double>? curve)
    {
        if (curve is null)
        {
            return false;
        }

        for (var code = 0; code <= 255; code++)
        {
            var linear = curve(code / 255.0);
            if (double.IsNaN(linear) || Math.Abs((LinearToSrgb(Math.Clamp(linear, 0, 1)) * 255) - code) > CurveToleranceLevels)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The description (<c>desc</c>): textDescriptionType's ASCII, multiLocalizedUnicodeType's English or first record, or textType.</summary>
    private static bool TryReadDescription(ReadOnlySpan<byte> profile, Dictionary<uint, (int Offset, int Length)> tags, out string? description)
    {
        description = null;
        var tag = Tag(profile, tags, "desc", out var found);
        if (!found)
        {
            return true;
        }

        if (tag[..4].SequenceEqual("desc"u8))
        {
            if (tag.Length < 12)
            {
                return false;
            }

            var count = BinaryPrimitives.ReadUInt32BigEndian(tag[8..]);
            if (count > (uint)(tag.Length - 12))
            {
                return false;
            }

            description = Ascii(tag.Slice(12, (int)count));
            return true;
        }

        if (tag[..4].SequenceEqual("text"u8))
        {
            description = Ascii(tag[8..]);
            return true;
        }

        if (tag[..4].SequenceEqual("mluc"u8))
        {
            if (tag.Length < 16)
            {
                return false;
            }

            var records = BinaryPrimitives.ReadUInt32BigEndian(tag[8..]);
            var recordSize = BinaryPrimitives.ReadUInt32BigEndian(tag[12..]);
            if (recordSize < 12 || (ulong)records * recordSize > (ulong)(tag.Length - 16))
            {
                return false;
            }

            var chosen = -1;
            for (var i = 0; i < (int)records && i < MaxTags; i++)
            {
                var record = tag.Slice(16 + (i * (int)recordSize), 12);
                var offset = BinaryPrimitives.ReadUInt32BigEndian(record[8..]);
                var length = BinaryPrimitives.ReadUInt32BigEndian(record[4..]);
                if ((ulong)offset + length > (ulong)tag.Length)
                {
                    return false;
                }

                if (chosen < 0 || record[..2].SequenceEqual("en"u8))
                {
                    chosen = i;
                    description = Encoding.BigEndianUnicode.GetString(tag.Slice((int)offset, Math.Min((int)length & ~1, MaxDescriptionChars * 2))).TrimEnd('\0');
                    if (record[..2].SequenceEqual("en"u8))
                    {
                        break;
                    }
                }
            }

            return true;
        }

        return false;
    }

    private static string Ascii(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.IndexOf((byte)0);
        var text = bytes[..(end < 0 ? bytes.Length : end)];
        text = text[..Math.Min(text.Length, MaxDescriptionChars)];
        var chars = new char[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            chars[i] = text[i] is >= 0x20 and < 0x7F ? (char)text[i] : '?';
        }

        return new string(chars);
    }
}
