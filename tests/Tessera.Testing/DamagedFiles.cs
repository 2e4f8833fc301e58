using System.Buffers.Binary;
using Tessera.Vips;

namespace Tessera.Testing;

/// <summary>
/// Broken sources, made from a sample photograph with libvips and then cut or patched: what a half-finished copy, a
/// full disk or a careless tool leaves behind. Each is written under <see cref="Folder"/> and named by what is wrong
/// with it; <see cref="All"/> lists every one with the words its error should carry.
/// </summary>
public sealed class DamagedFiles
{
    /// <param name="folder">Where the files are written (created if missing).</param>
    /// <param name="width">Width of the photograph the files are made from: large enough for several tiles and strips.</param>
    public DamagedFiles(string folder, int width = 1200)
    {
        Folder = folder;
        Directory.CreateDirectory(folder);
        using var thumbnail = VipsOperation.Image("thumbnail", ("filename", Samples.PathOf(Samples.Sunset)), ("width", width));
        using var photo = thumbnail.CopyMemory();
        Baseline = photo.SaveToBuffer("jpegsave_buffer", ("Q", 85));
        Progressive = photo.SaveToBuffer("jpegsave_buffer", ("Q", 85), ("interlace", true));
        Png = photo.SaveToBuffer("pngsave_buffer", ("compression", 1));
        Jp2 = photo.SaveToBuffer("jp2ksave_buffer", ("Q", 50), ("tile_width", 256), ("tile_height", 256));
        TiledTiff = photo.SaveToBuffer("tiffsave_buffer", ("tile", true), ("tile_width", 256), ("tile_height", 256), ("compression", "jpeg"), ("Q", 85));
        StripTiff = photo.SaveToBuffer("tiffsave_buffer", ("compression", "deflate"));
    }

    public string Folder { get; }

    /// <summary>The intact encodings the damaged files are cut from.</summary>
    public byte[] Baseline { get; }

    public byte[] Progressive { get; }

    public byte[] Png { get; }

    /// <summary>A JP2 of 256 px codestream tiles (so a cut leaves whole tiles before it and none after).</summary>
    public byte[] Jp2 { get; }

    public byte[] TiledTiff { get; }

    /// <summary>A deflate strip TIFF: its directory comes after its strips.</summary>
    public byte[] StripTiff { get; }

    /// <summary>Writes <paramref name="bytes"/> as <paramref name="name"/> under <see cref="Folder"/> and returns the path.</summary>
    public string Write(string name, ReadOnlySpan<byte> bytes)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllBytes(path, bytes.ToArray());
        return path;
    }

    /// <summary>The first <paramref name="fraction"/> of <paramref name="data"/>.</summary>
    public static byte[] Cut(byte[] data, double fraction) => data[..(int)(data.Length * fraction)];

    /// <summary>
    /// Every damaged file, written: name → words its error names (a fragment of the reason, compared ignoring case).
    /// </summary>
    public IReadOnlyDictionary<string, string> All()
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string name, byte[] bytes, string reason)
        {
            Write(name, bytes);
            files[name] = reason;
        }

        Add("cut-baseline.jpg", Cut(Baseline, 0.6), "truncated");
        Add("cut-progressive.jpg", Cut(Progressive, 0.6), "truncated");
        Add("cut-header.jpg", Baseline[..300], "premature end");
        foreach (var fraction in (ReadOnlySpan<double>)[0.2, 0.5, 0.8, 0.99])
        {
            Add($"cut-{(int)(fraction * 100)}.jp2", Cut(Jp2, fraction), "truncated");
        }

        // The codestream box says "to the end of the file" (length 0): only the tile-parts' own lengths tell the cut.
        Add("cut-open-box.jp2", Cut(OpenCodestreamBox(Jp2), 0.7), "truncated");
        Add("cut.j2k", Cut(Codestream(Jp2), 0.7), "truncated");
        Add("cut-at-tile-part.j2k", CutAtTilePart(Codestream(Jp2)), "truncated");
        Add("cut.png", Cut(Png, 0.6), "truncated");
        Add("tile-past-end.tif", PastEnd(TiledTiff, TileOffsets), "truncated or damaged");
        Add("strip-past-end.tif", PastEnd(StripTiff, StripOffsets), "truncated or damaged");
        Add("cut-strips.tif", Cut(StripTiff, 0.6), "tiff");
        Add("bad-ifd.tif", BadDirectory(TiledTiff), "tiff");
        Add("bad-magic.tif", [.. "II"u8, 0x2B, 0x00, .. "garbage garbage garbage"u8], "tiff");
        Add("zero.jpg", [], "empty");
        Add("random.jpg", Random(4096, 1), "promised JPEG");
        Add("random.tif", Random(4096, 2), "promised TIFF");
        Add("random.png", Random(4096, 3), "promised PNG");
        return files;
    }

    /// <summary>
    /// A tiled JPEG TIFF whose first tile has garbage in the middle of its entropy-coded data (inside the file, its
    /// structure whole): only decoding that tile finds it. Not in <see cref="All"/>: a request for exactly that tile is
    /// sent as stored, undecoded.
    /// </summary>
    public string WriteCorruptTile(string name = "corrupt-tile.tif")
    {
        var copy = TiledTiff.ToArray();
        var (count, at) = Entry(copy, TileOffsets);
        var offset = (int)BinaryPrimitives.ReadUInt32LittleEndian(copy.AsSpan(count == 1 ? at : (int)BinaryPrimitives.ReadUInt32LittleEndian(copy.AsSpan(at))));
        var (_, countsAt) = Entry(copy, TileByteCounts);
        var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(copy.AsSpan(count == 1 ? countsAt : (int)BinaryPrimitives.ReadUInt32LittleEndian(copy.AsSpan(countsAt))));
        var random = new Random(5);
        for (var i = offset + (length / 3); i < offset + (length / 3) + Math.Min(400, length / 3); i++)
        {
            // No 0xFF: a marker would end the scan early instead of corrupting it.
            copy[i] = (byte)random.Next(0, 0xFF);
        }

        return Write(name, copy);
    }

    private const ushort TileByteCounts = 325;

    private const ushort StripOffsets = 273;
    private const ushort TileOffsets = 324;

    /// <summary>A copy whose last strip or tile offset (tag <paramref name="tag"/> of the first directory) points 16 bytes before the end, so its data runs past it.</summary>
    public static byte[] PastEnd(byte[] tiff, ushort tag)
    {
        var copy = tiff.ToArray();
        var (count, at) = Entry(copy, tag);
        var last = count == 1 ? at : (int)BinaryPrimitives.ReadUInt32LittleEndian(copy.AsSpan(at)) + ((count - 1) * 4);
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(last), (uint)(copy.Length - 16));
        return copy;
    }

    /// <summary>A copy whose first directory's entry count is absurd and whose entries are overwritten: libtiff refuses the directory.</summary>
    public static byte[] BadDirectory(byte[] tiff)
    {
        var copy = tiff.ToArray();
        var ifd = (int)BinaryPrimitives.ReadUInt32LittleEndian(copy.AsSpan(4));
        copy.AsSpan(ifd + 2, Math.Min(64, copy.Length - ifd - 2)).Fill(0xEE);
        return copy;
    }

    /// <summary>The contiguous codestream (jp2c box) of a JP2: a raw J2K file.</summary>
    public static byte[] Codestream(byte[] jp2)
    {
        var (start, length) = CodestreamBox(jp2);
        return jp2[(start + 8)..(start + length)];
    }

    /// <summary>
    /// The codestream up to (not including) its middle tile-part: whole tile-parts and no end marker, the cut that
    /// leaves no partial tile-part for a decoder to stumble on (OpenJPEG can decode the missing tiles as zero).
    /// </summary>
    public static byte[] CutAtTilePart(byte[] codestream)
    {
        // Bit stuffing keeps FF 90 (SOT) out of packet data: each occurrence starts a tile-part.
        var starts = new List<int>();
        for (var i = 0; i + 1 < codestream.Length; i++)
        {
            if (codestream[i] == 0xFF && codestream[i + 1] == 0x90)
            {
                starts.Add(i);
            }
        }

        return starts.Count < 2 ? throw new InvalidDataException("Expected a codestream of several tile-parts") : codestream[..starts[starts.Count / 2]];
    }

    /// <summary>A copy of a JP2 whose codestream box's length is 0 ("up to the end of the file").</summary>
    public static byte[] OpenCodestreamBox(byte[] jp2)
    {
        var copy = jp2.ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(CodestreamBox(jp2).Start), 0);
        return copy;
    }

    private static (int Start, int Length) CodestreamBox(byte[] jp2)
    {
        for (var position = 0; position + 8 <= jp2.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(jp2.AsSpan(position));
            if (jp2.AsSpan(position + 4, 4).SequenceEqual("jp2c"u8))
            {
                return (position, length == 0 ? jp2.Length - position : length);
            }

            position += length;
        }

        throw new InvalidDataException("Expected a jp2c box in the JP2");
    }

    /// <summary>(count, offset of the value or of the value array's offset) of a tag in the first directory of a little-endian TIFF.</summary>
    private static (int Count, int At) Entry(byte[] tiff, ushort tag)
    {
        if (!tiff.AsSpan(0, 4).SequenceEqual("II*\0"u8))
        {
            throw new InvalidDataException("Expected a little-endian classic TIFF");
        }

        var ifd = (int)BinaryPrimitives.ReadUInt32LittleEndian(tiff.AsSpan(4));
        int entries = BinaryPrimitives.ReadUInt16LittleEndian(tiff.AsSpan(ifd));
        for (var i = 0; i < entries; i++)
        {
            var entry = ifd + 2 + (12 * i);
            if (BinaryPrimitives.ReadUInt16LittleEndian(tiff.AsSpan(entry)) == tag)
            {
                var type = BinaryPrimitives.ReadUInt16LittleEndian(tiff.AsSpan(entry + 2));
                if (type != 4)
                {
                    throw new InvalidDataException($"Expected LONG offsets for tag {tag} but found type {type}");
                }

                return ((int)BinaryPrimitives.ReadUInt32LittleEndian(tiff.AsSpan(entry + 4)), entry + 8);
            }
        }

        throw new InvalidDataException($"Expected tag {tag} in the first directory");
    }

    private static byte[] Random(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);

        // Never by chance the start of a format that is served.
        bytes[0] = 0x00;
        return bytes;
    }
}
