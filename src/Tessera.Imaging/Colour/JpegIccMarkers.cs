using System.Buffers.Binary;
using Tessera.Imaging.Jpeg;

namespace Tessera.Imaging.Colour;

/// <summary>
/// Puts an ICC profile into a JPEG stream as APP2 <c>ICC_PROFILE</c> segments (ICC.1:2010 Annex B.4, "Embedding ICC
/// profiles in JFIF files"), without touching the coded image: for stored tiles sent as they are, so a tile cut from a
/// master in Adobe RGB still says so to the client, as iipsrv does for its tiles. Much cheaper than transforming the
/// pixels, and exact, when the client manages colour (browsers do, for images).
/// </summary>
public static class JpegIccMarkers
{
    /// <summary>
    /// The most profile bytes one segment carries: a segment length counts to 65535, of which 2 go to the length field,
    /// 12 to the identifier <c>ICC_PROFILE\0</c>, and 2 to the chunk's sequence number and the count of chunks.
    /// </summary>
    public const int MaxChunkBytes = 65519;

    /// <summary>The most chunks a profile may span: their sequence numbers are one byte, from 1.</summary>
    public const int MaxChunks = 255;

    private const byte MarkerPrefix = 0xFF;
    private const byte App0 = 0xE0;
    private const byte App1 = 0xE1;
    private const byte App2 = 0xE2;
    private const byte StartOfScan = 0xDA;

    private static ReadOnlySpan<byte> Identifier => "ICC_PROFILE\0"u8;

    /// <summary>
    /// A copy of <paramref name="jpeg"/> that carries <paramref name="profile"/>, split into as many APP2 segments as it
    /// needs, placed right after the start of image and the APP0 (JFIF) and APP1 (Exif) segments that directly follow it
    /// (those formats ask to come first). Any profile the stream already carried is dropped: a stream has one. Every
    /// other byte is kept as it was.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// <paramref name="jpeg"/> is not a JPEG or its header segments are cut short, or <paramref name="profile"/> is empty
    /// or longer than 255 segments hold.
    /// </exception>
    public static byte[] Embed(ReadOnlySpan<byte> jpeg, ReadOnlySpan<byte> profile)
    {
        if (profile.IsEmpty || profile.Length > MaxChunks * MaxChunkBytes)
        {
            throw new ArgumentException($"Expected 1..{MaxChunks * MaxChunkBytes} bytes for profile but received {profile.Length}", nameof(profile));
        }

        if (jpeg.Length < 4 || jpeg[0] != MarkerPrefix || jpeg[1] != 0xD8)
        {
            throw new ArgumentException($"Expected a JPEG (starting FF D8) for jpeg but received {Describe(jpeg)}", nameof(jpeg));
        }

        var segments = HeaderSegments(jpeg, out var rest);
        var leading = 0;
        while (leading < segments.Count && segments[leading].Marker is App0 or App1)
        {
            leading++;
        }

        var chunks = (profile.Length + MaxChunkBytes - 1) / MaxChunkBytes;
        var kept = 0;
        foreach (var segment in segments)
        {
            kept += IsIccSegment(jpeg, segment) ? 0 : segment.Length;
        }

        var output = new byte[2 + kept + (chunks * (4 + Identifier.Length + 2)) + profile.Length + (jpeg.Length - rest)];
        var at = 0;
        Append(output, ref at, jpeg[..2]);
        for (var i = 0; i < leading; i++)
        {
            Append(output, ref at, jpeg.Slice(segments[i].Start, segments[i].Length));
        }

        for (var chunk = 0; chunk < chunks; chunk++)
        {
            var data = profile.Slice(chunk * MaxChunkBytes, Math.Min(MaxChunkBytes, profile.Length - (chunk * MaxChunkBytes)));
            output[at] = MarkerPrefix;
            output[at + 1] = App2;
            BinaryPrimitives.WriteUInt16BigEndian(output.AsSpan(at + 2), (ushort)(2 + Identifier.Length + 2 + data.Length));
            at += 4;
            Append(output, ref at, Identifier);
            output[at] = (byte)(chunk + 1);
            output[at + 1] = (byte)chunks;
            at += 2;
            Append(output, ref at, data);
        }

        for (var i = leading; i < segments.Count; i++)
        {
            if (!IsIccSegment(jpeg, segments[i]))
            {
                Append(output, ref at, jpeg.Slice(segments[i].Start, segments[i].Length));
            }
        }

        Append(output, ref at, jpeg[rest..]);
        return output;
    }

    /// <summary>
    /// The marker segments between the start of image and the first scan, walked by the one JPEG marker walker
    /// (<see cref="JpegSegmentReader"/>); <paramref name="rest"/> is where the scan's segment begins.
    /// </summary>
    private static List<Segment> HeaderSegments(ReadOnlySpan<byte> jpeg, out int rest)
    {
        var segments = new List<Segment>();
        var reader = new JpegSegmentReader(jpeg[2..]);
        while (reader.MoveNext())
        {
            var segment = reader.Current;
            if (segment.Marker == StartOfScan)
            {
                rest = 2 + segment.Offset;
                return segments;
            }

            segments.Add(new Segment(2 + segment.Offset, 2 + segment.Length, segment.Marker));
        }

        throw new ArgumentException($"Expected marker segments up to a start of scan in jpeg but {reader.Error ?? "the stream ends first"}", nameof(jpeg));
    }

    private static bool IsIccSegment(ReadOnlySpan<byte> jpeg, Segment segment) =>
        segment.Marker == App2 && segment.Length >= 4 + Identifier.Length && jpeg.Slice(segment.Start + 4, Identifier.Length).SequenceEqual(Identifier);

    private static void Append(byte[] output, ref int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.AsSpan(at));
        at += bytes.Length;
    }

    private static string Describe(ReadOnlySpan<byte> bytes) =>
        bytes.IsEmpty ? "nothing" : $"{Convert.ToHexString(bytes[..Math.Min(4, bytes.Length)])} ({bytes.Length} bytes)";

    private readonly record struct Segment(int Start, int Length, byte Marker);
}
