using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;
using Tessera.Imaging.Tiff;

namespace Tessera.Imaging.Sources;

/// <summary>
/// Checks, once per file version and without decoding pixels, that a source's data is all there: that the file does
/// not stop before the end its own structure declares. libvips' <c>fail_on</c> only fails the rows or tiles that are
/// actually decoded, so a truncated JPEG, PNG or strip TIFF answered its intact top regions with 200s (and a truncated
/// file's missing part as grey or black, cacheable for a day); checked up front, every request for it is an error.
/// </summary>
public static class SourceIntegrity
{
    /// <summary>Most markers and tile-parts walked in a JPEG 2000 codestream (each a 12-byte read).</summary>
    private const int MaxCodestreamSteps = 200_000;

    /// <summary>Most bytes scanned from the end for a JPEG's EOI or a PNG's IEND before the file is called truncated.</summary>
    private const int TrailerScanBytes = 1 << 20;

    /// <summary>As <see cref="Check(string, string, IReadOnlyList{TiffDirectory})"/>, reading a TIFF's directories itself.</summary>
    public static string? Check(string path, string loader)
    {
        IReadOnlyList<TiffDirectory> directories = [];
        if (loader == "tiffload")
        {
            try
            {
                directories = TiffDirectoryReader.Read(path);
            }
            catch (TiffFormatException)
            {
                // Our stricter reader refuses it: libtiff decides, and says why.
            }
        }

        return Check(path, loader, directories);
    }

    /// <summary>
    /// Why the file's data is incomplete, or null when it is whole as far as its structure says (a damaged inside can
    /// still fail a decode later: <c>fail_on</c> and the codecs' own checks make that an error too).
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="loader">The loader Tessera chose for it (<c>jpegload</c>, <c>pngload</c>, <c>tiffload</c>, <c>jp2kload</c>).</param>
    /// <param name="tiffDirectories">For a TIFF, its main-chain directories (empty when our reader refused them).</param>
    public static string? Check(string path, string loader, IReadOnlyList<TiffDirectory> tiffDirectories)
    {
        using var file = File.OpenHandle(path);
        return Check(file, loader, tiffDirectories);
    }

    /// <summary>As <see cref="Check(string, string, IReadOnlyList{TiffDirectory})"/>, for the file open on <paramref name="file"/> (positioned reads only).</summary>
    public static string? Check(Microsoft.Win32.SafeHandles.SafeFileHandle file, string loader, IReadOnlyList<TiffDirectory> tiffDirectories)
    {
        var length = RandomAccess.GetLength(file);
        return loader switch
        {
            "jpegload" => CheckJpeg(file, length),
            "pngload" => CheckPng(file, length),
            "tiffload" => CheckTiff(tiffDirectories, length),
            "jp2kload" => CheckJpeg2000(file, length),
            _ => null,
        };
    }

    /// <summary>A JPEG ends with EOI (FFD9) after its first scan; in entropy-coded data FF is always followed by 00 or a restart marker, so an FFD9 found scanning back from the end (past any trailer a camera appended) is the end of the image.</summary>
    private static string? CheckJpeg(SafeFileHandle file, long length)
    {
        // The first scan's start: an EOI before it (an EXIF thumbnail's) does not count.
        var scan = FirstScan(file, length);
        var tail = ReadTail(file, length, out var tailStart);
        for (var i = tail.Length - 2; i >= 0 && tailStart + i > scan; i--)
        {
            if (tail[i] == 0xFF && tail[i + 1] == 0xD9)
            {
                return null;
            }
        }

        return tailStart == 0
            ? $"the JPEG data stops after {length} bytes, before its end marker (EOI): the file is truncated"
            : $"no JPEG end marker (EOI) in the last {tail.Length} bytes of {length}: the file is truncated";
    }

    /// <summary>A PNG's last chunk is IEND; a file cut short has none.</summary>
    private static string? CheckPng(SafeFileHandle file, long length)
    {
        var tail = ReadTail(file, length, out _);
        return tail.AsSpan().LastIndexOf("IEND"u8) >= 0 ? null : $"the PNG data stops after {length} bytes, before its IEND chunk: the file is truncated";
    }

    /// <summary>Every stored strip or tile must lie inside the file: one past the end would be read short.</summary>
    private static string? CheckTiff(IReadOnlyList<TiffDirectory> directories, long length)
    {
        foreach (var directory in directories)
        {
            for (var i = 0; i < directory.TileOffsets.Length && i < directory.TileByteCounts.Length; i++)
            {
                long offset = directory.TileOffsets[i], count = directory.TileByteCounts[i];
                if (count > 0 && (offset < 0 || offset > length - count))
                {
                    var what = directory.IsTiled ? "tile" : "strip";
                    return $"{what} {i} of page {directory.Page} is stored at bytes {offset}..{offset + count} but the file has {length}: the file is truncated or damaged";
                }
            }
        }

        return null;
    }

    /// <summary>
    /// A JP2's boxes, and inside its codestream each tile-part (its SOT marker's Psot length), must end inside the
    /// file, and the codestream must reach its EOC marker: OpenJPEG can decode the code-blocks of a missing tile-part
    /// as zero, which is how a truncated JP2 served black tiles.
    /// </summary>
    private static string? CheckJpeg2000(SafeFileHandle file, long length)
    {
        Span<byte> head = stackalloc byte[16];
        if (RandomAccess.Read(file, head[..4], 0) < 4)
        {
            return $"the file has only {length} bytes";
        }

        long codestream = 0, codestreamEnd = length;
        if (BinaryPrimitives.ReadUInt32BigEndian(head) != 0xFF4FFF51)
        {
            // JP2: walk the top-level boxes to the contiguous codestream box (jp2c).
            long position = 0;
            codestream = -1;
            while (position + 8 <= length)
            {
                if (RandomAccess.Read(file, head, position) < 8)
                {
                    break;
                }

                long boxLength = BinaryPrimitives.ReadUInt32BigEndian(head);
                var type = BinaryPrimitives.ReadUInt32BigEndian(head[4..]);
                var headerBytes = 8;
                if (boxLength == 1)
                {
                    boxLength = (long)BinaryPrimitives.ReadUInt64BigEndian(head[8..]);
                    headerBytes = 16;
                }
                else if (boxLength == 0)
                {
                    boxLength = length - position;
                }

                if (boxLength < headerBytes || boxLength > length - position)
                {
                    return $"the JP2 box at byte {position} declares {boxLength} bytes but the file ends at {length}: the file is truncated";
                }

                if (type == 0x6A703263)
                {
                    codestream = position + headerBytes;
                    codestreamEnd = position + boxLength;
                    break;
                }

                position += boxLength;
            }

            if (codestream < 0)
            {
                return "the JP2 file has no codestream box (jp2c)";
            }
        }

        return CheckCodestream(file, codestream, codestreamEnd);
    }

    /// <summary>SOC, then marker segments up to the first SOT, then tile-parts of Psot bytes each, then EOC.</summary>
    private static string? CheckCodestream(SafeFileHandle file, long start, long end)
    {
        Span<byte> marker = stackalloc byte[12];
        var position = start + 2;
        for (var steps = 0; ; steps++)
        {
            if (steps > MaxCodestreamSteps)
            {
                // A hostile file of countless tiny tile-parts: stop walking; OpenJPEG's strict mode still fails a cut.
                return null;
            }

            if (position + 2 > end || RandomAccess.Read(file, marker[..4], position) < 2)
            {
                return $"the JPEG 2000 codestream stops at byte {position}, before its end marker (EOC): the file is truncated";
            }

            var code = BinaryPrimitives.ReadUInt16BigEndian(marker);
            if (code == 0xFFD9)
            {
                return null;
            }

            if (code == 0xFF90)
            {
                // SOT: Lsot(2) Isot(2) Psot(4) TPsot(1) TNsot(1); Psot counts from the SOT marker, 0 = up to EOC.
                if (position + 12 > end || RandomAccess.Read(file, marker, position) < 12)
                {
                    return $"the JPEG 2000 tile-part at byte {position} is cut off: the file is truncated";
                }

                long psot = BinaryPrimitives.ReadUInt32BigEndian(marker[6..]);
                if (psot == 0)
                {
                    // The last tile-part runs to EOC, two bytes before the codestream's end.
                    return end - 2 > position && ReadMarker(file, end - 2) == 0xFFD9 ? null : "the last JPEG 2000 tile-part does not reach the end marker (EOC): the file is truncated";
                }

                if (psot < 14 || psot > end - position)
                {
                    return $"the JPEG 2000 tile-part at byte {position} declares {psot} bytes but the codestream ends at byte {end}: the file is truncated";
                }

                position += psot;
                continue;
            }

            if ((code & 0xFF00) != 0xFF00)
            {
                return $"expected a JPEG 2000 marker at byte {position} but found {code:X4}: the codestream is damaged";
            }

            // A main-header marker segment: its length follows.
            if (RandomAccess.Read(file, marker[..4], position) < 4)
            {
                return $"the JPEG 2000 codestream stops at byte {position}: the file is truncated";
            }

            position += 2 + BinaryPrimitives.ReadUInt16BigEndian(marker[2..]);
        }
    }

    /// <summary>The offset of the first SOS marker, found by walking the marker segments from SOI; the file's length when there is none.</summary>
    private static long FirstScan(SafeFileHandle file, long length)
    {
        Span<byte> marker = stackalloc byte[4];
        long position = 2;
        while (position + 4 <= length && RandomAccess.Read(file, marker, position) == 4)
        {
            if (marker[0] != 0xFF)
            {
                break;
            }

            if (marker[1] == 0xDA)
            {
                return position;
            }

            position += marker[1] is 0xFF ? 1 : 2 + BinaryPrimitives.ReadUInt16BigEndian(marker[2..]);
        }

        return length;
    }

    private static int ReadMarker(SafeFileHandle file, long position)
    {
        Span<byte> two = stackalloc byte[2];
        return RandomAccess.Read(file, two, position) < 2 ? -1 : BinaryPrimitives.ReadUInt16BigEndian(two);
    }

    private static byte[] ReadTail(SafeFileHandle file, long length, out long tailStart)
    {
        var count = (int)Math.Min(length, TrailerScanBytes);
        tailStart = length - count;
        var tail = new byte[count];
        var read = 0;
        while (read < count)
        {
            var n = RandomAccess.Read(file, tail.AsSpan(read), tailStart + read);
            if (n <= 0)
            {
                break;
            }

            read += n;
        }

        return read == count ? tail : tail[..read];
    }
}
