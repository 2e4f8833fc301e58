using System.Buffers.Binary;
using System.Text;

namespace Tessera.Imaging.Sources;

/// <summary>
/// Reads a source's declared size and coding from its first bytes, in managed code and without libvips, so that limits
/// are judged before libjpeg, libpng or libtiff allocate for what a header claims (they allocate on the claim: a
/// 544-byte progressive JPEG declaring 65000×65000 made libjpeg take gigabytes). Knows JPEG (SOF), PNG (IHDR), GIF
/// (logical screen), TIFF (first IFD), WebP (VP8/VP8L/VP8X), JPEG 2000 (SIZ, in a JP2 box or bare), HEIF/AVIF
/// (<c>ispe</c>) and JPEG XL (the SizeHeader, bare or in <c>jxlc</c>/<c>jxlp</c>); a PDF page's size is poppler's to read
/// (see <see cref="PageSources"/>); anything else, or a header it cannot follow, is <see cref="SourceHeader.Unknown"/> and left to libvips.
/// JPEG segments and the TIFF directory are reached by seeking where the structure points (metadata of any size before
/// a JPEG frame header cannot hide it); the other formats from the first bytes. Every read is bounded (at most
/// <see cref="MaxHeaderBytes"/>, a fixed number of segments, boxes and entries), so a hostile header can neither loop
/// nor allocate.
/// </summary>
public static class HeaderProbe
{
    /// <summary>Most bytes read: JPEG APPn segments (EXIF, ICC, XMP) may put the SOF past the first 64 KiB, rarely past 1 MiB.</summary>
    public const int MaxHeaderBytes = 4 << 20;

    private const int FirstRead = 64 << 10;
    private const int MaxBoxes = 256;

    /// <summary>Segments walked before the frame header: 65536 APPn segments of 64 KiB are 4 GiB of metadata.</summary>
    private const int MaxJpegSegments = 65536;

    /// <summary>The header of the file at <paramref name="path"/>; <see cref="SourceHeader.Unknown"/> for what it cannot read.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static SourceHeader Read(string path)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Read(file);
    }

    /// <summary>The header of the file open on <paramref name="file"/> (positioned reads only); <see cref="SourceHeader.Unknown"/> for what it cannot read.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static SourceHeader Read(Microsoft.Win32.SafeHandles.SafeFileHandle file)
    {
        var length = RandomAccess.GetLength(file);
        return Read(length, (offset, count) =>
        {
            var bytes = new byte[(int)Math.Clamp(Math.Min(count, length - offset), 0, MaxHeaderBytes)];
            return bytes.AsSpan(0, RandomAccess.Read(file, bytes, offset)).ToArray();
        });
    }

    /// <summary>
    /// The header of a file of <paramref name="length"/> bytes read through <paramref name="readAt"/> (offset, count: at
    /// most count bytes there). The file may be cut or rewritten while it is read (a copy in place), so every read may
    /// return fewer bytes than the length promised: the readers check what they got, never what they asked for.
    /// </summary>
    internal static SourceHeader Read(long length, Func<long, int, byte[]> readAt)
    {
        ReadOnlySpan<byte> start = readAt(0, 8);
        var signature = MagicBytes.Of(start);
        if ((start.Length == 8 && signature == ImageSignature.Tiff) || signature == ImageSignature.Jpeg)
        {
            // libtiff writes the first directory after the pixels, and JPEG metadata may fill megabytes before the frame
            // header: both are read by seeking where the structure points, a few bytes at a time.
            return signature == ImageSignature.Tiff ? Tiff(readAt) : Jpeg(readAt);
        }

        var size = (int)Math.Min(length, FirstRead);
        while (true)
        {
            var header = Parse(readAt(0, size), out var wantsMore);
            if (!wantsMore || size >= length || size >= MaxHeaderBytes)
            {
                return header;
            }

            size = (int)Math.Min(Math.Min(length, MaxHeaderBytes), (long)size * 4);
        }
    }

    /// <summary>The header in <paramref name="data"/> (the file's first bytes).</summary>
    public static SourceHeader Parse(ReadOnlySpan<byte> data) => Parse(data, out _);

    private static SourceHeader Parse(ReadOnlySpan<byte> data, out bool wantsMore)
    {
        wantsMore = false;
        var signature = MagicBytes.Of(data);
        switch (signature)
        {
            case ImageSignature.Jpeg:
            case ImageSignature.Tiff when data.Length >= 8:
                var bytes = data.ToArray();
                byte[] ReadAt(long offset, int count) =>
                    offset >= bytes.Length ? [] : bytes.AsSpan((int)offset, (int)Math.Min(count, bytes.Length - offset)).ToArray();
                return signature == ImageSignature.Tiff ? Tiff(ReadAt) : Jpeg(ReadAt);

            case ImageSignature.Png:
                return Png(data);

            case ImageSignature.Gif when data.Length >= 10:
                long width = BinaryPrimitives.ReadUInt16LittleEndian(data[6..]);
                long height = BinaryPrimitives.ReadUInt16LittleEndian(data[8..]);

                // libnsgif decodes every frame into a whole RGBA canvas.
                return new SourceHeader("GIF", width, height, SourceDecoding.Whole, Multiply(width, height, 4));

            case ImageSignature.WebP when data.Length >= 16:
                return WebP(data);

            case ImageSignature.Jpeg2000Codestream:
                return Jpeg2000Codestream(data);

            case ImageSignature.Jp2:
                return Jp2(data, out wantsMore);

            case ImageSignature.Heif when data.Length >= 12:
                return Heif(data, out wantsMore);

            case ImageSignature.JxlCodestream:
                return JxlCodestream(data[2..]);

            case ImageSignature.JxlContainer:
                return JxlContainer(data, out wantsMore);

            default:
                // PDF (poppler reads a page's size) and anything unknown: left to libvips.
                return SourceHeader.Unknown;
        }
    }

    /// <summary><paramref name="a"/> × <paramref name="b"/> × <paramref name="c"/>, or <see cref="long.MaxValue"/> when that overflows (a claim beyond any limit).</summary>
    internal static long Multiply(long a, long b, long c = 1)
    {
        var product = (UInt128)(ulong)Math.Max(0, a) * (ulong)Math.Max(0, b) * (ulong)Math.Max(0, c);
        return product > long.MaxValue ? long.MaxValue : (long)product;
    }

    private static long CeilDiv(long a, long b) => (a + b - 1) / b;

    /// <summary>
    /// Walks the marker segments after SOI (as libjpeg does, fill bytes skipped) to the frame header, reading only each
    /// segment's marker and length: metadata of any size before it costs one small read a segment.
    /// </summary>
    private static SourceHeader Jpeg(Func<long, int, byte[]> readAt)
    {
        long at = 2;
        for (var i = 0; i < MaxJpegSegments; i++)
        {
            ReadOnlySpan<byte> head = readAt(at, 4);
            if (head.Length < 2 || head[0] != 0xFF)
            {
                return SourceHeader.Unknown;
            }

            var marker = head[1];
            if (marker == 0xFF)
            {
                at++; // a fill byte before a marker
                continue;
            }

            // SOS or EOI before a frame header, a standalone marker, or a cut-off length: not a JPEG we can judge.
            if (marker is 0xDA or 0xD9 or 0xD8 or 0x01 or (>= 0xD0 and <= 0xD7) || head.Length < 4)
            {
                return SourceHeader.Unknown;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(head[2..]);
            if (length < 2)
            {
                return SourceHeader.Unknown;
            }

            // SOF0..SOF15 but DHT (C4), JPG (C8) and DAC (CC).
            if (marker is >= 0xC0 and <= 0xCF && marker is not (0xC4 or 0xC8 or 0xCC))
            {
                return JpegFrame(marker, readAt(at + 4, length - 2));
            }

            at += 2 + length;
        }

        return SourceHeader.Unknown;
    }

    private static SourceHeader JpegFrame(byte marker, ReadOnlySpan<byte> sof)
    {
        if (sof.Length < 6)
        {
            return SourceHeader.Unknown;
        }

        int precision = sof[0];
        long height = BinaryPrimitives.ReadUInt16BigEndian(sof[1..]);
        long width = BinaryPrimitives.ReadUInt16BigEndian(sof[3..]);
        int components = sof[5];
        if (components < 1 || sof.Length < 6 + (3 * components))
        {
            return SourceHeader.Unknown;
        }

        int hMax = 1, vMax = 1;
        for (var c = 0; c < components; c++)
        {
            hMax = Math.Max(hMax, sof[6 + (3 * c) + 1] >> 4);
            vMax = Math.Max(vMax, sof[6 + (3 * c) + 1] & 15);
        }

        var progressive = marker is 0xC2 or 0xC6 or 0xCA or 0xCE;
        if (progressive)
        {
            // libjpeg keeps every DCT coefficient of the frame (64 × 2 bytes a block, MCU-padded) until the last scan.
            long mcusAcross = CeilDiv(width, 8L * hMax), mcusDown = CeilDiv(height, 8L * vMax);
            long blocks = 0;
            for (var c = 0; c < components; c++)
            {
                var sampling = sof[6 + (3 * c) + 1];
                blocks += Multiply(mcusAcross * Math.Max(1, sampling >> 4), mcusDown * Math.Max(1, sampling & 15));
            }

            return new SourceHeader("progressive JPEG", width, height, SourceDecoding.Whole, Multiply(blocks, 128));
        }

        // One MCU row of samples, upsampled to full width for every component (and twice that for 12-bit samples).
        var sampleBytes = precision > 8 ? 2 : 1;
        return new SourceHeader("JPEG", width, height, SourceDecoding.Sequential, Multiply(width, 8L * vMax, (long)components * sampleBytes * 2));
    }

    private static SourceHeader Png(ReadOnlySpan<byte> data)
    {
        if (data.Length < 33 || !data.Slice(12, 4).SequenceEqual("IHDR"u8))
        {
            return SourceHeader.Unknown;
        }

        long width = BinaryPrimitives.ReadUInt32BigEndian(data[16..]);
        long height = BinaryPrimitives.ReadUInt32BigEndian(data[20..]);
        int depth = data[24];
        var bands = data[25] switch
        {
            0 => 1,
            2 => 3,
            4 => 2,
            6 => 4,
            _ => 4, // palette: expanded to RGB or RGBA
        };
        var pixelBytes = (long)bands * (depth > 8 ? 2 : 1);
        if (data[28] != 0)
        {
            // Adam7: the passes cover the whole image before any row is complete, so it is decoded whole.
            return new SourceHeader("interlaced PNG", width, height, SourceDecoding.Whole, Multiply(width, height, pixelBytes));
        }

        return new SourceHeader("PNG", width, height, SourceDecoding.Sequential, Multiply(width, pixelBytes, 2));
    }

    private static SourceHeader WebP(ReadOnlySpan<byte> data)
    {
        var chunk = data.Slice(12, 4);
        long width = 0, height = 0;
        var bands = 3;
        if (chunk.SequenceEqual("VP8X"u8) && data.Length >= 30)
        {
            bands = (data[20] & 0x10) != 0 ? 4 : 3;
            width = 1 + (data[24] | (data[25] << 8) | (data[26] << 16));
            height = 1 + (data[27] | (data[28] << 8) | (data[29] << 16));
        }
        else if (chunk.SequenceEqual("VP8L"u8) && data.Length >= 25 && data[20] == 0x2F)
        {
            var bits = BinaryPrimitives.ReadUInt32LittleEndian(data[21..]);
            width = 1 + (bits & 0x3FFF);
            height = 1 + ((bits >> 14) & 0x3FFF);
            bands = 4;
        }
        else if (chunk.SequenceEqual("VP8 "u8) && data.Length >= 30 && data[23] == 0x9D && data[24] == 0x01 && data[25] == 0x2A)
        {
            width = BinaryPrimitives.ReadUInt16LittleEndian(data[26..]) & 0x3FFF;
            height = BinaryPrimitives.ReadUInt16LittleEndian(data[28..]) & 0x3FFF;
        }
        else
        {
            return SourceHeader.Unknown;
        }

        // libwebp decodes the whole canvas into one buffer.
        return new SourceHeader("WebP", width, height, SourceDecoding.Whole, Multiply(width, height, bands));
    }

    /// <summary>The first IFD, read through <paramref name="readAt"/> (offset, count: at most count bytes there).</summary>
    private static SourceHeader Tiff(Func<long, int, byte[]> readAt)
    {
        ReadOnlySpan<byte> head = readAt(0, 16);
        if (head.Length < 8)
        {
            return SourceHeader.Unknown; // cut since its signature was read
        }

        var little = head[0] == 'I';
        ushort U16(ReadOnlySpan<byte> b) => little ? BinaryPrimitives.ReadUInt16LittleEndian(b) : BinaryPrimitives.ReadUInt16BigEndian(b);
        uint U32(ReadOnlySpan<byte> b) => little ? BinaryPrimitives.ReadUInt32LittleEndian(b) : BinaryPrimitives.ReadUInt32BigEndian(b);
        ulong U64(ReadOnlySpan<byte> b) => little ? BinaryPrimitives.ReadUInt64LittleEndian(b) : BinaryPrimitives.ReadUInt64BigEndian(b);

        var magic = U16(head[2..]);
        var big = magic == 43;
        if (magic != 42 && !big)
        {
            return SourceHeader.Unknown;
        }

        var first = big ? (head.Length >= 16 ? U64(head[8..]) : 0) : U32(head[4..]);
        int countSize = big ? 8 : 2, entrySize = big ? 20 : 12, fieldSize = big ? 8 : 4;
        if (first < 8 || first > long.MaxValue / 2)
        {
            return SourceHeader.Unknown;
        }

        ReadOnlySpan<byte> counted = readAt((long)first, countSize);
        if (counted.Length < countSize)
        {
            return SourceHeader.Unknown;
        }

        // Real directories hold a few dozen entries; more than 1024 are not read (libtiff is left to refuse them).
        var count = Math.Min(big ? U64(counted) : U16(counted), 1024UL);
        ReadOnlySpan<byte> data = readAt((long)first + countSize, (int)count * entrySize);
        var at = 0;
        long width = 0, height = 0, tileWidth = 0, tileHeight = 0, rowsPerStrip = 0, samples = 1, bits = 1, strips = 0, compression = 1;
        for (ulong i = 0; i < count && at + entrySize <= data.Length; i++, at += entrySize)
        {
            var entry = data.Slice(at, entrySize);
            var tag = U16(entry);
            var type = U16(entry[2..]);
            var n = big ? U64(entry[4..]) : U32(entry[4..]);
            var field = entry.Slice(big ? 12 : 8, fieldSize);

            // Only the first value (SHORT, LONG or LONG8), inline or where the field points (BitsPerSample of RGB).
            var size = type switch { 3 => 2, 4 => 4, 16 => 8, _ => 0 };
            if (size == 0 || n == 0)
            {
                continue;
            }

            if (n > (ulong)(fieldSize / size) && tag != 273)
            {
                var pointer = big ? U64(field) : U32(field);
                field = pointer > long.MaxValue / 2 ? ReadOnlySpan<byte>.Empty : readAt((long)pointer, size);
                if (field.Length < size)
                {
                    continue;
                }
            }

            long value = size switch
            {
                2 => U16(field),
                4 => U32(field),
                _ => (long)Math.Min(U64(field), long.MaxValue),
            };
            switch (tag)
            {
                case 256: width = value; break;
                case 257: height = value; break;
                case 258: bits = Math.Max(1, value); break;
                case 259: compression = value; break;
                case 273: strips = (long)Math.Min(n, long.MaxValue); break;
                case 277: samples = Math.Max(1, value); break;
                case 278: rowsPerStrip = value; break;
                case 322: tileWidth = value; break;
                case 323: tileHeight = value; break;
            }
        }

        if (width <= 0 || height <= 0)
        {
            return SourceHeader.Unknown;
        }

        var pixelBytes = Multiply(samples, Math.Max(1, CeilDiv(bits, 8)));
        if (tileWidth > 0 && tileHeight > 0)
        {
            return new SourceHeader("tiled TIFF", width, height, SourceDecoding.Tiled, Multiply(tileWidth, tileHeight, pixelBytes));
        }

        // RowsPerStrip absent (or larger than the image): one strip holds the whole image. libtiff reads one uncompressed
        // strip in pieces of about 8 KiB (its strip chopping), so only a compressed one is held whole.
        var rows = rowsPerStrip <= 0 || rowsPerStrip > height ? height : rowsPerStrip;
        if (compression == 1 && strips == 1)
        {
            rows = Math.Min(rows, Math.Max(1, 8192 / Math.Max(1, Multiply(width, pixelBytes))));
        }

        var format = rows == height ? "TIFF in one strip" : "TIFF in strips";
        return new SourceHeader(format, width, height, rows == height ? SourceDecoding.Whole : SourceDecoding.Sequential, Multiply(width, rows, pixelBytes));
    }

    /// <summary>A bare codestream: SOC then SIZ.</summary>
    private static SourceHeader Jpeg2000Codestream(ReadOnlySpan<byte> data)
    {
        // SIZ: Lsiz Rsiz Xsiz Ysiz XOsiz YOsiz XTsiz YTsiz XTOsiz YTOsiz Csiz, then 3 bytes a component.
        var siz = data[4..];
        if (siz.Length < 38)
        {
            return SourceHeader.Unknown;
        }

        long width = BinaryPrimitives.ReadUInt32BigEndian(siz[4..]) - (long)BinaryPrimitives.ReadUInt32BigEndian(siz[12..]);
        long height = BinaryPrimitives.ReadUInt32BigEndian(siz[8..]) - (long)BinaryPrimitives.ReadUInt32BigEndian(siz[16..]);
        long tileWidth = BinaryPrimitives.ReadUInt32BigEndian(siz[20..]);
        long tileHeight = BinaryPrimitives.ReadUInt32BigEndian(siz[24..]);
        long components = BinaryPrimitives.ReadUInt16BigEndian(siz[36..]);
        if (width <= 0 || height <= 0 || tileWidth <= 0 || tileHeight <= 0)
        {
            return SourceHeader.Unknown;
        }

        // OpenJPEG decodes a codestream tile at a time into 32-bit samples; one tile over the whole image is a whole decode.
        var tile = Multiply(Math.Min(tileWidth, width), Math.Min(tileHeight, height), Math.Max(1, components) * 4);
        var whole = tileWidth >= width && tileHeight >= height;
        return new SourceHeader(whole ? "untiled JPEG 2000" : "JPEG 2000", width, height, whole ? SourceDecoding.Whole : SourceDecoding.Tiled, tile);
    }

    /// <summary>A JP2 file: boxes, the codestream in <c>jp2c</c>.</summary>
    private static SourceHeader Jp2(ReadOnlySpan<byte> data, out bool wantsMore)
    {
        wantsMore = false;
        var at = 0L;
        for (var i = 0; i < MaxBoxes && at + 8 <= data.Length; i++)
        {
            var (type, start, end) = Box(data, at);
            if (type == "jp2c")
            {
                if (start + 42 > data.Length)
                {
                    wantsMore = true;
                    return SourceHeader.Unknown;
                }

                return Jpeg2000Codestream(data[(int)start..]);
            }

            if (end <= at)
            {
                break;
            }

            at = end;
        }

        wantsMore = at + 8 > data.Length;
        return SourceHeader.Unknown;
    }

    /// <summary>HEIF/AVIF: the largest <c>ispe</c> (image spatial extent) under <c>meta/iprp/ipco</c>.</summary>
    private static SourceHeader Heif(ReadOnlySpan<byte> data, out bool wantsMore)
    {
        wantsMore = false;
        var brand = Encoding.ASCII.GetString(data.Slice(8, 4));
        if (brand is not ("heic" or "heix" or "heim" or "heis" or "mif1" or "msf1" or "avif" or "avis"))
        {
            return SourceHeader.Unknown;
        }

        long width = 0, height = 0;
        var found = false;
        var visited = 0;
        void Walk(ReadOnlySpan<byte> d, long from, long to, int depth, ref bool wants)
        {
            var at = from;
            while (at + 8 <= to && visited++ < MaxBoxes)
            {
                var (type, start, end) = Box(d, at);
                if (end > d.Length && type is "meta" or "iprp" or "ipco")
                {
                    wants = true;
                }

                var stop = Math.Min(end, d.Length);
                switch (type)
                {
                    case "meta" when depth == 0:
                        Walk(d, start + 4, stop, 1, ref wants); // a full box: version and flags first
                        break;
                    case "iprp" when depth == 1:
                        Walk(d, start, stop, 2, ref wants);
                        break;
                    case "ipco" when depth == 2:
                        Walk(d, start, stop, 3, ref wants);
                        break;
                    case "ispe" when depth == 3 && start + 12 <= d.Length:
                        width = Math.Max(width, BinaryPrimitives.ReadUInt32BigEndian(d[(int)(start + 4)..]));
                        height = Math.Max(height, BinaryPrimitives.ReadUInt32BigEndian(d[(int)(start + 8)..]));
                        found = true;
                        break;
                }

                if (end <= at)
                {
                    return;
                }

                at = end;
            }
        }

        var wantsAny = false;
        Walk(data, 0, data.Length, 0, ref wantsAny);
        if (!found)
        {
            wantsMore = wantsAny;
            return SourceHeader.Unknown;
        }

        // libheif decodes the whole primary image (every grid tile) before libvips sees a row.
        var format = brand.StartsWith("avi", StringComparison.Ordinal) ? "AVIF" : "HEIF";
        return new SourceHeader(format, width, height, SourceDecoding.Whole, Multiply(width, height, 4));
    }

    /// <summary>
    /// A JPEG XL codestream's SizeHeader (ISO/IEC 18181-1 §D.2), right after the <c>FF 0A</c> signature: bits read from
    /// the least significant of each byte; a height (in eighths when small), then a width given outright or as one of
    /// seven ratios to the height.
    /// </summary>
    private static SourceHeader JxlCodestream(ReadOnlySpan<byte> data)
    {
        var bits = new JxlBits(data);
        var small = bits.Read(1) == 1;
        static long Dimension(ref JxlBits bits, bool small) => small ? (bits.Read(5) + 1) * 8 : bits.U32(9, 13, 18, 30) + 1;
        var height = Dimension(ref bits, small);
        var ratio = bits.Read(3);
        var width = ratio switch
        {
            0 => Dimension(ref bits, small),
            1 => height,
            2 => height * 12 / 10,
            3 => height * 4 / 3,
            4 => height * 3 / 2,
            5 => height * 16 / 9,
            6 => height * 5 / 4,
            _ => height * 2,
        };
        if (bits.Overrun)
        {
            return SourceHeader.Unknown;
        }

        // libjxl decodes the whole frame into one buffer before libvips sees a row (RGBA, 8 bits a sample at least).
        return new SourceHeader("JPEG XL", width, height, SourceDecoding.Whole, Multiply(width, height, 4));
    }

    /// <summary>A JPEG XL container: the codestream in <c>jxlc</c>, or its first part in <c>jxlp</c> (after a 4-byte index).</summary>
    private static SourceHeader JxlContainer(ReadOnlySpan<byte> data, out bool wantsMore)
    {
        wantsMore = false;
        var at = 0L;
        for (var i = 0; i < MaxBoxes && at + 8 <= data.Length; i++)
        {
            var (type, start, end) = Box(data, at);
            if (type is "jxlc" or "jxlp")
            {
                var codestream = start + (type == "jxlp" ? 4 : 0);
                if (codestream + 16 > data.Length)
                {
                    wantsMore = true;
                    return SourceHeader.Unknown;
                }

                var content = data[(int)codestream..];
                return content[0] == 0xFF && content[1] == 0x0A ? JxlCodestream(content[2..]) : SourceHeader.Unknown;
            }

            if (end <= at)
            {
                break;
            }

            at = end;
        }

        wantsMore = at + 8 > data.Length;
        return SourceHeader.Unknown;
    }

    /// <summary>JPEG XL's bit reader: least significant bit of each byte first; reading past the end gives zeros and sets <see cref="Overrun"/>.</summary>
    private ref struct JxlBits(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public bool Overrun { get; private set; }

        public long Read(int count)
        {
            long value = 0;
            for (var i = 0; i < count; i++, _position++)
            {
                if (_position >> 3 >= _data.Length)
                {
                    Overrun = true;
                    return value;
                }

                value |= (long)((_data[_position >> 3] >> (_position & 7)) & 1) << i;
            }

            return value;
        }

        /// <summary>U32 of four bit counts: two bits choose which, then that many bits.</summary>
        public long U32(int d0, int d1, int d2, int d3) => Read((int)Read(2) switch { 0 => d0, 1 => d1, 2 => d2, _ => d3 });
    }

    /// <summary>An ISO box at <paramref name="at"/>: its type, where its content starts and where it ends (past the data for a box cut off).</summary>
    private static (string Type, long Start, long End) Box(ReadOnlySpan<byte> data, long at)
    {
        var box = data[(int)at..];
        long size = BinaryPrimitives.ReadUInt32BigEndian(box);
        var type = Encoding.ASCII.GetString(box.Slice(4, 4));
        var start = at + 8;
        if (size == 1 && box.Length >= 16)
        {
            var large = BinaryPrimitives.ReadUInt64BigEndian(box[8..]);
            size = large > long.MaxValue / 2 ? long.MaxValue / 2 : (long)large;
            start = at + 16;
        }
        else if (size == 0)
        {
            size = long.MaxValue / 2; // to the end of the file
        }

        return (type, start, size < 8 ? at : at + size);
    }
}
