using System.Buffers.Binary;

namespace Tessera.Imaging.Jpeg;

/// <summary>
/// Turns one stored JPEG tile of a TIFF into a standalone JPEG without decoding it: the shared tables of the
/// JPEGTables tag are spliced in after SOI, a colour marker tells decoders how the components are encoded, and the
/// frame size is rewritten when an edge tile must be cropped.
/// </summary>
internal static class JpegTileAssembler
{
    private const byte Soi = JpegMarkers.Soi;
    private const byte Eoi = JpegMarkers.Eoi;
    private const byte Sos = JpegMarkers.Sos;
    private const byte App0 = JpegMarkers.App0;
    private const byte App14 = JpegMarkers.App14;
    private const byte Dri = JpegMarkers.Dri;

    // JFIF 1.01, no units, 1:1 density, no thumbnail: marks the components as YCbCr (or grey).
    private static readonly byte[] JfifApp0 =
        [0xFF, App0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00];

    // Adobe APP14 with transform 0: the three components are R, G and B, so decoders must not convert from YCbCr.
    private static readonly byte[] AdobeRgbApp14 =
        [0xFF, App14, 0x00, 0x0E, (byte)'A', (byte)'d', (byte)'o', (byte)'b', (byte)'e', 0x00, 0x64, 0x00, 0x00, 0x00, 0x00, 0x00];

    /// <summary>
    /// Builds the standalone JPEG, or returns false with the reason it cannot be done without re-encoding.
    /// </summary>
    /// <param name="tables">The JPEGTables tag (an abbreviated stream SOI ... EOI), or empty.</param>
    /// <param name="tile">The tile's stored bytes.</param>
    /// <param name="rgb">True when the TIFF says the JPEG components are RGB (Photometric 2) rather than YCbCr or grey.</param>
    /// <param name="components">The number of components the TIFF declares (SamplesPerPixel).</param>
    /// <param name="width">Width to show: the stored tile width, or less at the right edge.</param>
    /// <param name="height">Height to show: the stored tile height, or less at the bottom edge.</param>
    /// <param name="jpeg">The standalone JPEG, or empty when false is returned.</param>
    /// <param name="reason">Why it cannot be done, or empty when true is returned.</param>
    public static bool TryAssemble(
        ReadOnlySpan<byte> tables,
        ReadOnlySpan<byte> tile,
        bool rgb,
        int components,
        int width,
        int height,
        out byte[] jpeg,
        out string reason) =>
        TryAssemble(tables, tile, rgb, components, width, height, height, [], out jpeg, out _, out _, out reason);

    /// <summary>
    /// Builds the standalone JPEG of a whole tile (<paramref name="width"/> × <paramref name="height"/> must be its
    /// frame) into <paramref name="destination"/>, for decoding: no allocation. False, with the reason, when the tile
    /// is not a whole <paramref name="width"/> × <paramref name="height"/> frame or the buffer is too small.
    /// </summary>
    public static bool TryAssemble(
        ReadOnlySpan<byte> tables,
        ReadOnlySpan<byte> tile,
        bool rgb,
        int components,
        int width,
        int height,
        Span<byte> destination,
        out int length,
        out string reason) =>
        TryAssemble(tables, tile, rgb, components, width, height, height, destination, out length, out _, out reason);

    /// <summary>
    /// As the overload above, but the frame header says fewer rows: <paramref name="frameRows"/>, enough that the top
    /// <paramref name="rows"/> (1 to <paramref name="height"/>) decode exactly as in the whole tile. A decoder then
    /// decodes only those, the ones a region needs, and leaves the entropy-coded data of the rest unread (which it
    /// reports as extraneous bytes before EOI; see <c>Jpeg.DecodeTop</c>). With vertically subsampled chroma the
    /// frame keeps one MCU row more than asked, if the tile has it: the rows just above a frame's bottom would
    /// otherwise be upsampled from a repeated chroma row instead of the one below.
    /// </summary>
    public static bool TryAssemble(
        ReadOnlySpan<byte> tables,
        ReadOnlySpan<byte> tile,
        bool rgb,
        int components,
        int width,
        int height,
        int rows,
        Span<byte> destination,
        out int length,
        out int frameRows,
        out string reason)
    {
        if (destination.IsEmpty)
        {
            throw new ArgumentException("A buffer to write into is needed", nameof(destination));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rows, height);
        return TryAssemble(tables, tile, rgb, components, width, height, rows, destination, out _, out length, out frameRows, out reason);
    }

    /// <summary>
    /// Into <paramref name="destination"/> when it is not empty (whole frames only, of which the header may declare
    /// fewer rows, enough for the top <paramref name="rows"/>), else into a new array (<paramref name="rows"/> is then
    /// <paramref name="height"/>).
    /// </summary>
    private static bool TryAssemble(
        ReadOnlySpan<byte> tables,
        ReadOnlySpan<byte> tile,
        bool rgb,
        int components,
        int width,
        int height,
        int rows,
        Span<byte> destination,
        out byte[] jpeg,
        out int length,
        out int frameRows,
        out string reason)
    {
        jpeg = [];
        length = 0;
        frameRows = 0;
        if (tile.Length < 4 || tile[0] != 0xFF || tile[1] != Soi)
        {
            reason = "The tile does not start with a JPEG SOI marker.";
            return false;
        }

        ReadOnlySpan<byte> tableSegments = [];
        var tablesRestart = false;
        if (!tables.IsEmpty)
        {
            if (tables.Length < 4 || tables[0] != 0xFF || tables[1] != Soi)
            {
                reason = "JPEGTables does not start with a JPEG SOI marker.";
                return false;
            }

            tableSegments = tables[2..];
            if (tableSegments.Length >= 2 && tableSegments[^2] == 0xFF && tableSegments[^1] == Eoi)
            {
                tableSegments = tableSegments[..^2];
            }

            if (!TryWalkSegments(tableSegments, untilSos: false, out Header tablesHeader, out reason))
            {
                reason = "JPEGTables: " + reason;
                return false;
            }

            if (tablesHeader.SofOffset >= 0)
            {
                reason = "JPEGTables holds a frame header; only tables were expected.";
                return false;
            }

            tablesRestart = tablesHeader.HasRestarts;
        }

        ReadOnlySpan<byte> body = tile[2..];
        if (!TryWalkSegments(body, untilSos: true, out Header header, out reason))
        {
            reason = "Tile: " + reason;
            return false;
        }

        if (header.SofOffset < 0)
        {
            reason = "The tile has no frame header before its scan.";
            return false;
        }

        if (header.SofMarker is not (0xC0 or 0xC1))
        {
            reason = $"Only baseline and extended sequential Huffman JPEG is passed through, not SOF marker 0x{header.SofMarker:X2}.";
            return false;
        }

        ReadOnlySpan<byte> sof = body[header.SofOffset..];
        int precision = sof[4];
        int frameHeight = BinaryPrimitives.ReadUInt16BigEndian(sof[5..]);
        int frameWidth = BinaryPrimitives.ReadUInt16BigEndian(sof[7..]);
        int frameComponents = sof[9];
        if (precision != 8)
        {
            reason = $"Only 8-bit JPEG is passed through, not {precision}-bit.";
            return false;
        }

        if (frameComponents != components || 10 + (3 * frameComponents) > BinaryPrimitives.ReadUInt16BigEndian(sof[2..]) + 2)
        {
            reason = $"The tile's frame has {frameComponents} components but the TIFF declares {components}.";
            return false;
        }

        if (width < 1 || height < 1 || width > frameWidth || height > frameHeight)
        {
            reason = $"Expected a crop within the stored {frameWidth}x{frameHeight} frame but was asked for {width}x{height}.";
            return false;
        }

        int maxH = 1, maxV = 1;
        for (int c = 0; c < frameComponents; c++)
        {
            maxH = Math.Max(maxH, sof[10 + (3 * c) + 1] >> 4);
            maxV = Math.Max(maxV, sof[10 + (3 * c) + 1] & 15);
        }

        // Decoders derive the number of MCUs in a row from the frame width, so a narrower width alone is safe only
        // while it still needs as many MCUs per row as are stored; otherwise every row after the first is misread.
        // A shorter height alone would leave unread MCU rows before EOI, which decoders warn about. Either way the
        // entropy-coded data is then cut to the MCUs kept.
        int mcuWidth = frameComponents == 1 ? 8 : 8 * maxH;
        int mcuHeight = frameComponents == 1 ? 8 : 8 * maxV;
        bool dropsMcus = (width + mcuWidth - 1) / mcuWidth != (frameWidth + mcuWidth - 1) / mcuWidth
            || (height + mcuHeight - 1) / mcuHeight != (frameHeight + mcuHeight - 1) / mcuHeight;

        bool hasColourMarker = header.HasJfif || header.HasAdobe;
        byte[] marker = hasColourMarker ? [] : rgb ? AdobeRgbApp14 : JfifApp0;

        var size = 2 + marker.Length + tableSegments.Length + body.Length;
        Span<byte> output;
        if (destination.IsEmpty)
        {
            jpeg = GC.AllocateUninitializedArray<byte>(size);
            output = jpeg;
        }
        else if (width != frameWidth || height != frameHeight)
        {
            reason = $"The tile's frame is {frameWidth}x{frameHeight}, not the whole {width}x{height} tile expected.";
            return false;
        }
        else if (destination.Length < size)
        {
            reason = $"The tile needs {size} bytes; the buffer holds {destination.Length}.";
            return false;
        }
        else
        {
            output = destination[..size];
        }

        length = size;
        output[0] = 0xFF;
        output[1] = Soi;
        int at = 2;
        marker.CopyTo(output[at..]);
        at += marker.Length;
        tableSegments.CopyTo(output[at..]);
        at += tableSegments.Length;
        body.CopyTo(output[at..]);
        Span<byte> newSof = output[(at + header.SofOffset)..];
        // A stream with restart markers keeps its whole frame: a decoder looking for one in damaged data could skip to
        // EOI and report unread data before it, the one report a shortened frame is allowed to make (Jpeg.DecodeTop).
        frameRows = rows == height || tablesRestart || header.HasRestarts ? height
            : maxV == 1 ? rows
            : Math.Min(height, rows + mcuHeight);
        BinaryPrimitives.WriteUInt16BigEndian(newSof[5..], (ushort)frameRows);
        BinaryPrimitives.WriteUInt16BigEndian(newSof[7..], (ushort)width);
        if (dropsMcus)
        {
            if (!JpegEntropyCropper.TryCrop(jpeg, frameWidth, frameHeight, out byte[] cropped, out reason))
            {
                jpeg = [];
                reason = $"Cropping {frameWidth}x{frameHeight} to {width}x{height}: {reason}";
                return false;
            }

            jpeg = cropped;
        }

        reason = string.Empty;
        return true;
    }

    private readonly record struct Header(int SofOffset, byte SofMarker, bool HasJfif, bool HasAdobe, bool HasRestarts = false);

    /// <summary>
    /// Walks marker segments from the start of <paramref name="data"/>, checking each length, up to SOS (or the end).
    /// </summary>
    private static bool TryWalkSegments(ReadOnlySpan<byte> data, bool untilSos, out Header header, out string reason)
    {
        header = new Header(-1, 0, false, false);
        var segments = new JpegSegmentReader(data);
        while (segments.MoveNext())
        {
            var segment = segments.Current;
            var marker = segment.Marker;
            var at = segment.Offset;
            var payload = segment.Payload;
            if (JpegMarkers.IsFrameHeader(marker))
            {
                if (header.SofOffset >= 0 || segment.Length < 8)
                {
                    reason = $"frame header 0x{marker:X2} at byte {at} is repeated or too short.";
                    return false;
                }

                header = header with { SofOffset = at, SofMarker = marker };
            }
            else if (marker == App0 && payload.StartsWith("JFIF\0"u8))
            {
                header = header with { HasJfif = true };
            }
            else if (marker == App14 && payload.StartsWith("Adobe"u8))
            {
                header = header with { HasAdobe = true };
            }
            else if (marker == Dri && payload.Length >= 2 && BinaryPrimitives.ReadUInt16BigEndian(payload) != 0)
            {
                header = header with { HasRestarts = true };
            }
            else if (marker == Sos && untilSos)
            {
                reason = string.Empty;
                return true;
            }
        }

        if (segments.Error is { } error)
        {
            reason = error;
            return false;
        }

        if (untilSos)
        {
            reason = "no start-of-scan marker was found.";
            return false;
        }

        reason = string.Empty;
        return true;
    }
}
