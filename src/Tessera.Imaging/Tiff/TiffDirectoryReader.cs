using System.Buffers.Binary;
using System.Collections.Immutable;
using Microsoft.Win32.SafeHandles;

namespace Tessera.Imaging.Tiff;

/// <summary>
/// Reads the directories of a classic TIFF (byte orders II and MM) or a BigTIFF: every IFD of the main chain, each
/// followed by its SubIFDs (tag 330). Reads only headers and the tag values it needs, never pixel data, and is
/// bounded on hostile input: IFD loops, values past the end of the file and absurd counts throw
/// <see cref="TiffFormatException"/>.
/// </summary>
public static class TiffDirectoryReader
{
    /// <summary>More directories than a pyramid has: a chain longer than this is treated as hostile.</summary>
    public const int MaxDirectories = 64;

    /// <summary>Real IFDs hold a few dozen entries; EXIF and the like live in their own sub-directories.</summary>
    public const int MaxEntriesPerDirectory = 1024;

    /// <summary>Largest tag value read (tile offsets of a 1-gigapixel level at 256px tiles are about 120 KB).</summary>
    public const int MaxValueBytes = 32 * 1024 * 1024;

    private const int MaxJpegTablesBytes = 1024 * 1024;
    private const int MaxTileSide = 65535; // a JPEG frame cannot be larger, and no sane tile is

    private const ushort TagNewSubfileType = 254;
    private const ushort TagImageWidth = 256;
    private const ushort TagImageLength = 257;
    private const ushort TagBitsPerSample = 258;
    private const ushort TagCompression = 259;
    private const ushort TagPhotometric = 262;
    private const ushort TagStripOffsets = 273;
    private const ushort TagOrientation = 274;
    private const ushort TagSamplesPerPixel = 277;
    private const ushort TagStripByteCounts = 279;
    private const ushort TagPlanarConfig = 284;
    private const ushort TagTileWidth = 322;
    private const ushort TagTileLength = 323;
    private const ushort TagTileOffsets = 324;
    private const ushort TagTileByteCounts = 325;
    private const ushort TagSubIfds = 330;
    private const ushort TagJpegTables = 347;
    private const ushort TagIccProfile = 34675;
    private const int MaxIccProfileBytes = 4 * 1024 * 1024;
    private const ushort TagYCbCrSubsampling = 530;

    /// <summary>Reads the directories of the file at <paramref name="path"/>.</summary>
    public static IReadOnlyList<TiffDirectory> Read(string path)
    {
        using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
        return Read(handle);
    }

    /// <summary>Reads the directories through positioned reads on <paramref name="handle"/>.</summary>
    public static IReadOnlyList<TiffDirectory> Read(SafeFileHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return Read(TiffByteSource.From(handle));
    }

    /// <summary>
    /// Reads the directories through <paramref name="bytes"/> (a local file or a remote object read by range; wrap a
    /// remote one in <see cref="Storage.BlockCachedBytes"/> so that the many small reads cost a few requests).
    /// </summary>
    public static IReadOnlyList<TiffDirectory> Read(Storage.ISourceBytes bytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return Read(TiffByteSource.From(bytes, cancellationToken));
    }

    /// <summary>Reads the directories from a readable, seekable stream.</summary>
    public static IReadOnlyList<TiffDirectory> Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Read(TiffByteSource.From(stream));
    }

    internal static IReadOnlyList<TiffDirectory> Read(TiffByteSource source)
    {
        var header = new byte[16];
        if (source.Length < 8)
        {
            throw new TiffFormatException($"Expected a TIFF header of at least 8 bytes but the file has {source.Length}.");
        }

        source.ReadExactly(0, header.AsSpan(0, (int)Math.Min(16, source.Length)));
        bool little = header[0] == (byte)'I' && header[1] == (byte)'I';
        if (!little && !(header[0] == (byte)'M' && header[1] == (byte)'M'))
        {
            throw new TiffFormatException("Expected a TIFF byte order mark (II or MM) at offset 0.");
        }

        var order = new ByteOrder(little);
        ushort magic = order.U16(header.AsSpan(2));
        long firstIfd;
        bool big;
        if (magic == 42)
        {
            big = false;
            firstIfd = order.U32(header.AsSpan(4));
        }
        else if (magic == 43)
        {
            big = true;
            if (source.Length < 16 || order.U16(header.AsSpan(4)) != 8 || order.U16(header.AsSpan(6)) != 0)
            {
                throw new TiffFormatException("Expected a BigTIFF header with 8-byte offsets.");
            }

            firstIfd = order.U64Checked(header.AsSpan(8));
        }
        else
        {
            throw new TiffFormatException($"Expected TIFF magic 42 or 43 but found {magic}.");
        }

        var reader = new Reader(source, order, big);
        return reader.ReadAll(firstIfd);
    }

    private readonly record struct ByteOrder(bool Little)
    {
        public ushort U16(ReadOnlySpan<byte> b) => Little ? BinaryPrimitives.ReadUInt16LittleEndian(b) : BinaryPrimitives.ReadUInt16BigEndian(b);

        public uint U32(ReadOnlySpan<byte> b) => Little ? BinaryPrimitives.ReadUInt32LittleEndian(b) : BinaryPrimitives.ReadUInt32BigEndian(b);

        public long U64Checked(ReadOnlySpan<byte> b)
        {
            ulong v = Little ? BinaryPrimitives.ReadUInt64LittleEndian(b) : BinaryPrimitives.ReadUInt64BigEndian(b);
            return v > long.MaxValue ? throw new TiffFormatException($"Offset or count {v} is out of range.") : (long)v;
        }
    }

    /// <summary>An IFD entry as found: where its value lives is resolved only when the tag is wanted.</summary>
    private readonly record struct Entry(ushort Type, long Count, long FieldOffset, byte[] Field);

    private sealed class Reader(TiffByteSource source, ByteOrder order, bool big)
    {
        private readonly HashSet<long> _visited = [];
        private readonly List<TiffDirectory> _directories = [];

        private int EntrySize => big ? 20 : 12;

        private int FieldSize => big ? 8 : 4;

        public IReadOnlyList<TiffDirectory> ReadAll(long firstIfd)
        {
            if (firstIfd == 0)
            {
                throw new TiffFormatException("The TIFF has no image directory.");
            }

            long next = firstIfd;
            int page = 0;
            while (next != 0)
            {
                (Dictionary<ushort, Entry> entries, long following) = ReadIfd(next);
                _directories.Add(Build(entries, page, -1));
                if (entries.TryGetValue(TagSubIfds, out Entry sub))
                {
                    long[] subOffsets = ReadNumbers(sub, TagSubIfds);
                    for (int i = 0; i < subOffsets.Length; i++)
                    {
                        // SubIFDs written by libtiff have no chain of their own; their next pointer is not followed
                        // so that one stray pointer cannot pull the main chain in twice.
                        (Dictionary<ushort, Entry> subEntries, _) = ReadIfd(subOffsets[i]);
                        _directories.Add(Build(subEntries, page, i));
                    }
                }

                next = following;
                page++;
            }

            return _directories.AsReadOnly();
        }

        private (Dictionary<ushort, Entry> Entries, long Next) ReadIfd(long offset)
        {
            if (_visited.Count >= MaxDirectories)
            {
                throw new TiffFormatException($"Expected at most {MaxDirectories} image directories but the file has more.");
            }

            if (offset <= 0 || offset >= source.Length)
            {
                throw new TiffFormatException($"Expected an image directory inside the file but the offset is {offset}.");
            }

            if (!_visited.Add(offset))
            {
                throw new TiffFormatException($"The image directory at offset {offset} is referenced twice (a loop).");
            }

            Span<byte> countBytes = stackalloc byte[8];
            source.ReadExactly(offset, countBytes[..(big ? 8 : 2)]);
            long count = big ? order.U64Checked(countBytes) : order.U16(countBytes);
            if (count == 0 || count > MaxEntriesPerDirectory)
            {
                throw new TiffFormatException(
                    $"Expected 1..{MaxEntriesPerDirectory} entries in the image directory at {offset} but found {count}.");
            }

            int countSize = big ? 8 : 2;
            var block = new byte[(count * EntrySize) + FieldSize];
            source.ReadExactly(offset + countSize, block);

            var entries = new Dictionary<ushort, Entry>();
            for (int i = 0; i < count; i++)
            {
                ReadOnlySpan<byte> e = block.AsSpan(i * EntrySize, EntrySize);
                ushort tag = order.U16(e);
                ushort type = order.U16(e[2..]);
                long n = big ? order.U64Checked(e[4..]) : order.U32(e[4..]);
                long fieldOffset = offset + countSize + (i * EntrySize) + (big ? 12 : 8);
                entries.TryAdd(tag, new Entry(type, n, fieldOffset, e[(big ? 12 : 8)..].ToArray()));
            }

            ReadOnlySpan<byte> tail = block.AsSpan((int)(count * EntrySize));
            long next = big ? order.U64Checked(tail) : order.U32(tail);
            return (entries, next);
        }

        private TiffDirectory Build(Dictionary<ushort, Entry> e, int page, int subIfd)
        {
            string where = subIfd < 0 ? $"page {page}" : $"page {page} SubIFD {subIfd}";
            int width = Dimension(e, TagImageWidth, "ImageWidth", where, required: true, max: int.MaxValue);
            int length = Dimension(e, TagImageLength, "ImageLength", where, required: true, max: int.MaxValue);
            int tileWidth = Dimension(e, TagTileWidth, "TileWidth", where, required: false, max: MaxTileSide);
            int tileLength = Dimension(e, TagTileLength, "TileLength", where, required: false, max: MaxTileSide);
            if ((tileWidth == 0) != (tileLength == 0))
            {
                throw new TiffFormatException($"Expected both TileWidth and TileLength in {where} but found only one.");
            }

            int samples = (int)Scalar(e, TagSamplesPerPixel, 1);
            if (samples is < 1 or > 255)
            {
                throw new TiffFormatException($"Expected 1..255 for SamplesPerPixel in {where} but found {samples}.");
            }

            int planar = (int)Scalar(e, TagPlanarConfig, 1);
            int[] bits = e.TryGetValue(TagBitsPerSample, out Entry bitsEntry)
                ? Array.ConvertAll(ReadNumbers(bitsEntry, TagBitsPerSample, maxCount: 255), v => (int)Math.Min(v, int.MaxValue))
                : [1];

            long[] subsampling = e.TryGetValue(TagYCbCrSubsampling, out Entry ss) ? ReadNumbers(ss, TagYCbCrSubsampling, maxCount: 2) : [2, 2];

            bool tiled = tileWidth > 0;
            long[] offsets = OptionalNumbers(e, tiled ? TagTileOffsets : TagStripOffsets);
            long[] counts = OptionalNumbers(e, tiled ? TagTileByteCounts : TagStripByteCounts);
            if (offsets.Length != counts.Length)
            {
                throw new TiffFormatException(
                    $"Expected as many byte counts as offsets in {where} but found {counts.Length} and {offsets.Length}.");
            }

            if (tiled)
            {
                long expected = (((long)width + tileWidth - 1) / tileWidth) * (((long)length + tileLength - 1) / tileLength);
                if (planar == 2)
                {
                    expected *= samples;
                }

                if (offsets.Length < expected)
                {
                    throw new TiffFormatException($"Expected {expected} tile offsets in {where} but found {offsets.Length}.");
                }
            }

            ReadOnlyMemory<byte> tables = ReadOnlyMemory<byte>.Empty;
            if (e.TryGetValue(TagJpegTables, out Entry tablesEntry))
            {
                tables = ReadBytes(tablesEntry, TagJpegTables, MaxJpegTablesBytes);
            }

            // Kept for sources described from their directories alone (a TIFF read in place from a bucket), which need the
            // profile libvips would otherwise have read.
            ReadOnlyMemory<byte> icc = e.TryGetValue(TagIccProfile, out Entry iccEntry) ? ReadBytes(iccEntry, TagIccProfile, MaxIccProfileBytes) : ReadOnlyMemory<byte>.Empty;

            int? orientation = e.TryGetValue(TagOrientation, out Entry o) ? (int)Math.Min(FirstNumber(o, TagOrientation), int.MaxValue) : null;

            return new TiffDirectory(
                page,
                subIfd,
                width,
                length,
                tileWidth,
                tileLength,
                (int)Math.Min(Scalar(e, TagCompression, 1), int.MaxValue),
                e.ContainsKey(TagPhotometric) ? (int)Math.Min(Scalar(e, TagPhotometric, 0), int.MaxValue) : -1,
                samples,
                [.. bits],
                planar,
                (int)Math.Min(subsampling.Length > 0 ? subsampling[0] : 2, 255),
                (int)Math.Min(subsampling.Length > 1 ? subsampling[1] : 2, 255),
                Scalar(e, TagNewSubfileType, 0),
                tables,
                ImmutableArray.Create(offsets),
                ImmutableArray.Create(counts),
                orientation)
            {
                IccProfile = icc,
            };
        }

        private int Dimension(Dictionary<ushort, Entry> e, ushort tag, string name, string where, bool required, int max)
        {
            if (!e.TryGetValue(tag, out Entry entry))
            {
                return required ? throw new TiffFormatException($"Expected {name} in {where} but it is missing.") : 0;
            }

            long v = FirstNumber(entry, tag);
            if (v < 1 || v > max)
            {
                throw new TiffFormatException($"Expected 1..{max} for {name} in {where} but found {v}.");
            }

            return (int)v;
        }

        private long Scalar(Dictionary<ushort, Entry> e, ushort tag, long fallback) =>
            e.TryGetValue(tag, out Entry entry) ? FirstNumber(entry, tag) : fallback;

        private long[] OptionalNumbers(Dictionary<ushort, Entry> e, ushort tag) =>
            e.TryGetValue(tag, out Entry entry) ? ReadNumbers(entry, tag) : [];

        private long FirstNumber(Entry entry, ushort tag)
        {
            long[] values = ReadNumbers(entry, tag, maxCount: 1);
            return values.Length > 0 ? values[0] : throw new TiffFormatException($"Expected a value for tag {tag} but its count is 0.");
        }

        /// <summary>Reads up to <paramref name="maxCount"/> unsigned integers (more are ignored).</summary>
        private long[] ReadNumbers(Entry entry, ushort tag, long maxCount = long.MaxValue)
        {
            int size = entry.Type switch
            {
                1 or 6 or 7 => 1, // BYTE, SBYTE, UNDEFINED
                3 or 8 => 2, // SHORT, SSHORT
                4 or 9 or 13 => 4, // LONG, SLONG, IFD
                16 or 17 or 18 => 8, // LONG8, SLONG8, IFD8
                _ => throw new TiffFormatException($"Expected an integer type for tag {tag} but found type {entry.Type}."),
            };

            long count = Math.Min(entry.Count, maxCount);
            byte[] raw = ReadRaw(entry, tag, size, count);
            var values = new long[count];
            for (int i = 0; i < values.Length; i++)
            {
                ReadOnlySpan<byte> b = raw.AsSpan(i * size, size);
                long v = size switch
                {
                    1 => b[0],
                    2 => order.U16(b),
                    4 => order.U32(b),
                    _ => order.U64Checked(b),
                };

                // Signed types are only ever used here for counts and offsets; negatives are corruption.
                values[i] = entry.Type switch
                {
                    6 => (sbyte)v,
                    8 => (short)v,
                    9 => (int)v,
                    _ => v,
                };
                if (values[i] < 0)
                {
                    throw new TiffFormatException($"Expected non-negative values for tag {tag} but found {values[i]}.");
                }
            }

            return values;
        }

        private ReadOnlyMemory<byte> ReadBytes(Entry entry, ushort tag, int maxBytes)
        {
            if (entry.Type is not (1 or 7))
            {
                throw new TiffFormatException($"Expected BYTE or UNDEFINED for tag {tag} but found type {entry.Type}.");
            }

            if (entry.Count > maxBytes)
            {
                throw new TiffFormatException($"Expected at most {maxBytes} bytes for tag {tag} but found {entry.Count}.");
            }

            return ReadRaw(entry, tag, 1, entry.Count);
        }

        /// <summary>The first <paramref name="count"/> values' bytes: inline in the entry or at the offset it holds.</summary>
        private byte[] ReadRaw(Entry entry, ushort tag, int size, long count)
        {
            if (count > MaxValueBytes / size)
            {
                throw new TiffFormatException($"Expected at most {MaxValueBytes / size} values for tag {tag} but found {count}.");
            }

            var raw = new byte[count * size];
            if (entry.Count <= FieldSize / size)
            {
                entry.Field.AsSpan(0, raw.Length).CopyTo(raw);
                return raw;
            }

            long at = big ? order.U64Checked(entry.Field) : order.U32(entry.Field);
            source.ReadExactly(at, raw);
            return raw;
        }
    }
}
