using Tessera.Vips;

namespace Tessera.Imaging.Sources;

/// <summary>
/// Chooses the libvips loader of a source, instead of taking whatever libvips' sniffing lands on. libvips asks each
/// loader in turn whether a file is its kind, blocked ones included, and ImageMagick's says yes to nearly anything: a
/// TIFF whose header libtiff rejects fell through to <c>magickload</c>, and the error was "operation is blocked"
/// instead of libtiff's reason. Here only the loaders of the kinds served count; a file whose first bytes are one of
/// them goes to that loader even when libvips' own check declined it (so its codec says what is wrong); anything
/// else is "not a readable image of the kinds served", naming what its extension promised.
/// </summary>
public static class LoaderChoice
{
    /// <summary>The libvips loaders whose kinds Tessera serves (JPEG 2000, JPEG XL, PDF and OpenSlide are let back in from the untrusted ones on purpose: <see cref="ImagingRuntime.LetIn"/>).</summary>
    public static readonly IReadOnlySet<string> Served = new HashSet<string>(StringComparer.Ordinal)
    {
        "jpegload", "pngload", "tiffload", "jp2kload", "webpload", "gifload", "heifload", "jxlload", "pdfload", "openslideload",
    };

    /// <summary>
    /// The extensions of whole-slide formats, read by OpenSlide: most are TIFFs underneath (an Aperio .svs, a
    /// Hamamatsu .ndpi, a Leica .scn), and only the name says they are a slide with associated images and vendor
    /// properties; a MIRAX .mrxs is an index beside a folder of data. A Philips slide is a .tiff told by its Software
    /// tag (<see cref="Choose(string, Microsoft.Win32.SafeHandles.SafeFileHandle)"/>). A generic tiled TIFF (.tif) stays with libtiff,
    /// whose pyramid path (stored tiles sent as they are) serves it better than OpenSlide would.
    /// </summary>
    public static readonly IReadOnlySet<string> SlideExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".svs", ".ndpi", ".mrxs", ".scn", ".vms", ".vmu", ".bif", ".svslide",
    };

    /// <summary>The loader for <paramref name="path"/>.</summary>
    /// <exception cref="VipsException">The file is none of the kinds served (the message says what it seems to be and what its extension promised).</exception>
    /// <exception cref="IOException">The file could not be read.</exception>
    public static string Choose(string path)
    {
        using var file = File.OpenHandle(path);
        return Choose(path, file);
    }

    /// <summary>
    /// The loader for the file <paramref name="path"/> names, open on <paramref name="file"/>: its first bytes are read
    /// from the handle; only a file none of whose magic bytes are known is asked of libvips by path (which names a
    /// loader, never reads pixels: the load itself reads the handle's file).
    /// </summary>
    /// <exception cref="VipsException">The file is none of the kinds served.</exception>
    /// <exception cref="IOException">The file could not be read.</exception>
    public static string Choose(string path, Microsoft.Win32.SafeHandles.SafeFileHandle file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (SlideExtensions.Contains(Path.GetExtension(path)))
        {
            return "openslideload";
        }

        // The magic bytes win over libvips' answer: a damaged TIFF must be read (and refused) by libtiff.
        if (Sniff(file) is { } sniffed)
        {
            return sniffed == "tiffload" && IsVendorSlide(file) ? "openslideload" : sniffed;
        }

        string? found;
        try
        {
            found = VipsImage.FindLoader(path);
        }
        catch (VipsException)
        {
            found = null;
        }

        if (found is not null && Served.Contains(found))
        {
            return found;
        }

        var length = RandomAccess.GetLength(file);
        var promised = Promised(Path.GetExtension(path));
        var what = length == 0 ? "the file is empty" : "its content is none of JPEG, PNG, TIFF, JPEG 2000, WebP, GIF, HEIF, JPEG XL or PDF";
        throw new VipsException(promised is null
            ? $"not a readable image of the kinds served: {what}"
            : $"not a readable image of the kinds served: {what}, though its extension promised {promised}");
    }

    /// <summary>The loader the first bytes of the file name (<see cref="MagicBytes"/>), or null.</summary>
    private static string? Sniff(Microsoft.Win32.SafeHandles.SafeFileHandle file)
    {
        Span<byte> head = stackalloc byte[MagicBytes.Length];
        var n = RandomAccess.Read(file, head, 0);
        return MagicBytes.Of(head[..n]) switch
        {
            ImageSignature.Jpeg => "jpegload",
            ImageSignature.Png => "pngload",

            // Classic and BigTIFF, either byte order: a damaged IFD must still reach libtiff.
            ImageSignature.Tiff => "tiffload",
            ImageSignature.Jp2 or ImageSignature.Jpeg2000Codestream => "jp2kload",
            ImageSignature.JxlCodestream or ImageSignature.JxlContainer => "jxlload",
            ImageSignature.Pdf => "pdfload",

            // GIF, WebP and HEIF are named by libvips' own check, as they always were.
            _ => null,
        };
    }

    /// <summary>
    /// Whether a TIFF is a slide of a vendor whose files carry no extension of their own (a Philips slide is a
    /// <c>.tiff</c>): the first directory's Software starts with "Philips", as OpenSlide's own detection asks first.
    /// Classic TIFF only (one directory read, at most 64 bytes of the tag's value); anything unreadable is not a slide,
    /// and libtiff then says what is wrong with it.
    /// </summary>
    private static bool IsVendorSlide(Microsoft.Win32.SafeHandles.SafeFileHandle file)
    {
        Span<byte> head = stackalloc byte[8];
        if (RandomAccess.Read(file, head, 0) < 8 || head[2] + head[3] != 42)
        {
            return false;
        }

        var little = head[0] == (byte)'I';
        uint U32(ReadOnlySpan<byte> b) => little ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(b) : System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(b);
        ushort U16(ReadOnlySpan<byte> b) => little ? System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(b) : System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(b);
        long directory = U32(head[4..]);
        Span<byte> count = stackalloc byte[2];
        if (RandomAccess.Read(file, count, directory) < 2)
        {
            return false;
        }

        var entries = new byte[Math.Min((int)U16(count), 1000) * 12];
        var read = RandomAccess.Read(file, entries, directory + 2);
        for (var at = 0; at + 12 <= read; at += 12)
        {
            var entry = entries.AsSpan(at, 12);
            if (U16(entry) != 305 || U16(entry[2..]) != 2)
            {
                continue;
            }

            var length = (int)Math.Min(U32(entry[4..]), 64);
            Span<byte> software = stackalloc byte[64];
            software = software[..length];
            if (length <= 4)
            {
                entry.Slice(8, length).CopyTo(software);
            }
            else if (RandomAccess.Read(file, software, U32(entry[8..])) < length)
            {
                return false;
            }

            return software.StartsWith("Philips"u8);
        }

        return false;
    }

    /// <summary>The kind an extension promises, for the message.</summary>
    private static string? Promised(string extension) => extension.ToLowerInvariant() switch
    {
        ".jpg" or ".jpeg" or ".jpe" => "JPEG",
        ".png" => "PNG",
        ".tif" or ".tiff" or ".ptif" => "TIFF",
        ".jp2" or ".j2k" or ".jpx" or ".jpf" or ".jph" => "JPEG 2000",
        ".webp" => "WebP",
        ".gif" => "GIF",
        ".heic" or ".heif" or ".avif" => "HEIF",
        ".jxl" => "JPEG XL",
        ".pdf" => "PDF",
        _ => null,
    };
}
