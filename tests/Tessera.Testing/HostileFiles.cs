using System.Buffers.Binary;
using Tessera.Vips;

namespace Tessera.Testing;

/// <summary>
/// A hostile corpus made on demand: decompression bombs (tiny files whose headers declare huge images) and malformed
/// structures, written under a folder the caller owns. Each is a few hundred bytes; what makes it hostile is what a
/// decoder would allocate for its claim. Small real images made by libvips carry the claims where a decoder must get
/// past a valid header (the declared size is patched in), so the bytes reach the allocation a real attack reaches.
/// Extend it with the next attack found: one method per file, named for what it does.
/// </summary>
public static class HostileFiles
{
    /// <summary>
    /// A progressive JPEG (SOF2, YCbCr 4:2:0) declaring <paramref name="width"/>×<paramref name="height"/>, with a few scans
    /// of a 16×16 image after it: libjpeg allocates every DCT coefficient of the declared frame (12.7 GB for 65000²).
    /// </summary>
    public static string ProgressiveJpegBomb(string folder, string name = "progressive-bomb.jpg", int width = 65000, int height = 65000) =>
        PatchedJpeg(folder, name, width, height, progressive: true);

    /// <summary>A baseline JPEG (SOF0) declaring <paramref name="width"/>×<paramref name="height"/> with the data of a 16×16 image: decoded top to bottom, its rows run out early.</summary>
    public static string BaselineJpegBomb(string folder, string name = "baseline-bomb.jpg", int width = 65000, int height = 65000) =>
        PatchedJpeg(folder, name, width, height, progressive: false);

    /// <summary>An interlaced (Adam7) RGB PNG declaring the size given, with one tiny IDAT: decoded whole, 3 bytes a pixel.</summary>
    public static string InterlacedPngBomb(string folder, string name = "interlaced-bomb.png", uint width = 60000, uint height = 60000) =>
        Png(folder, name, width, height, interlaced: true);

    /// <summary>A non-interlaced RGB PNG declaring the size given, with one tiny IDAT: decoded row by row.</summary>
    public static string PngBomb(string folder, string name = "png-bomb.png", uint width = 60000, uint height = 60000) =>
        Png(folder, name, width, height, interlaced: false);

    /// <summary>
    /// A classic TIFF (122 bytes) declaring 9000000×9000000 8-bit grey pixels in strips of one row: libtiff sizes its
    /// strip arrays and buffers from the claim on the first header read.
    /// </summary>
    public static string TiffStripBomb(string folder, string name = "strip-bomb.tif", uint width = 9_000_000, uint height = 9_000_000, uint rowsPerStrip = 1) =>
        Tiff(folder, name, width, height, rowsPerStrip, loop: false);

    /// <summary>A valid 8×8 grey TIFF whose first directory names itself as the next one: an IFD loop.</summary>
    public static string TiffIfdLoop(string folder, string name = "ifd-loop.tif") => Tiff(folder, name, 8, 8, 8, loop: true);

    /// <summary>A GIF whose logical screen and one frame are 65535×65535 with a few bytes of LZW data: libnsgif decodes to a whole RGBA canvas (17 GB).</summary>
    public static string GifBomb(string folder, string name = "gif-bomb.gif", ushort width = 65535, ushort height = 65535)
    {
        using var data = new MemoryStream();
        data.Write("GIF89a"u8);
        WriteU16(data, width);
        WriteU16(data, height);
        data.Write([0x80, 0, 0]); // global colour table of 2 entries, background 0, no aspect
        data.Write([0, 0, 0, 255, 255, 255]);
        data.WriteByte(0x2C); // image descriptor
        WriteU16(data, 0);
        WriteU16(data, 0);
        WriteU16(data, width);
        WriteU16(data, height);
        data.WriteByte(0);
        data.WriteByte(2); // LZW minimum code size
        data.Write([3, 0x84, 0x8F, 0x01, 0]); // a clear code, a few pixels, then the end of the sub-blocks
        data.WriteByte(0x3B);
        return Write(folder, name, data.ToArray());
    }

    /// <summary>An empty file with an image's name.</summary>
    public static string Empty(string folder, string name = "empty.jpg") => Write(folder, name, []);

    private static string PatchedJpeg(string folder, string name, int width, int height, bool progressive)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, 65535);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(height, 65535);
        using var image = VipsOperation.Image("black", ("width", 16), ("height", 16), ("bands", 3));
        var bytes = image.SaveToBuffer("jpegsave_buffer", ("interlace", progressive), ("Q", 80), ("subsample_mode", "on"), ("strip", true));
        var sof = progressive ? (byte)0xC2 : (byte)0xC0;
        for (var i = 2; i + 9 < bytes.Length; i++)
        {
            if (bytes[i] == 0xFF && bytes[i + 1] == sof)
            {
                BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(i + 5), (ushort)height);
                BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(i + 7), (ushort)width);
                return Write(folder, name, bytes);
            }
        }

        throw new InvalidOperationException($"Expected a SOF marker 0x{sof:X2} in the JPEG libvips wrote but found none");
    }

    private static string Png(string folder, string name, uint width, uint height, bool interlaced)
    {
        using var data = new MemoryStream();
        data.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // RGB
        ihdr[12] = interlaced ? (byte)1 : (byte)0;
        Chunk(data, "IHDR", ihdr);

        // A zlib stream of a few hundred zero bytes (filter 0, black pixels), then the end.
        using var compressed = new MemoryStream();
        using (var zlib = new System.IO.Compression.ZLibStream(compressed, System.IO.Compression.CompressionLevel.SmallestSize, leaveOpen: true))
        {
            zlib.Write(new byte[512]);
        }

        Chunk(data, "IDAT", compressed.ToArray());
        Chunk(data, "IEND", []);
        return Write(folder, name, data.ToArray());
    }

    private static void Chunk(Stream data, string type, byte[] payload)
    {
        var header = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)payload.Length);
        System.Text.Encoding.ASCII.GetBytes(type, header.AsSpan(4));
        data.Write(header);
        data.Write(payload);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32([.. header.AsSpan(4).ToArray(), .. payload]));
        data.Write(crc);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }

    /// <summary>A little-endian classic TIFF: header, one IFD of 9 entries, and the pixel bytes of its first strip.</summary>
    private static string Tiff(string folder, string name, uint width, uint height, uint rowsPerStrip, bool loop)
    {
        const int entries = 9;
        const int ifd = 8;
        const int pixels = ifd + 2 + (entries * 12) + 4; // 122
        var stripBytes = (int)Math.Min(64, (long)width * rowsPerStrip);
        var bytes = new byte[pixels + stripBytes];
        "II"u8.CopyTo(bytes);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2), 42);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), ifd);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(ifd), entries);
        var at = ifd + 2;
        void Entry(ushort tag, ushort type, uint value)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at), tag);
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at + 2), type);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + 4), 1);
            if (type == 3)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at + 8), (ushort)value);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + 8), value);
            }

            at += 12;
        }

        Entry(256, 4, width); // ImageWidth
        Entry(257, 4, height); // ImageLength
        Entry(258, 3, 8); // BitsPerSample
        Entry(259, 3, 1); // Compression: none
        Entry(262, 3, 1); // Photometric: min-is-black
        Entry(273, 4, pixels); // StripOffsets (one strip given; a bomb's others are missing)
        Entry(277, 3, 1); // SamplesPerPixel
        Entry(278, 4, rowsPerStrip); // RowsPerStrip
        Entry(279, 4, (uint)stripBytes); // StripByteCounts
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), loop ? (uint)ifd : 0);
        bytes.AsSpan(pixels).Fill(0x80);
        return Write(folder, name, bytes);
    }

    private static void WriteU16(Stream data, ushort value)
    {
        data.WriteByte((byte)value);
        data.WriteByte((byte)(value >> 8));
    }

    private static string Write(string folder, string name, byte[] bytes)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
