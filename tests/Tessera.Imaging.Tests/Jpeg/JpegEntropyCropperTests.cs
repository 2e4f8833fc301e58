using System.Buffers.Binary;
using Tessera.Imaging.Jpeg;
using Tessera.Imaging.Tests.Tiff;
using Tessera.Imaging.Tiff;
using Tessera.Vips;

namespace Tessera.Imaging.Tests.Jpeg;

/// <summary>The entropy cropper reads its header with the shared walker: what the walker accepts, it crops; what it refuses, it refuses.</summary>
public sealed class JpegEntropyCropperTests
{
    /// <summary>A stored 256x256 tile of the YCbCr fixture made standalone (tables spliced in), and the same tile cropped to 155 wide by the assembler.</summary>
    private static (byte[] Whole, byte[] Cropped) Tile()
    {
        string path = TiffFixtures.PathOf("ycbcr");
        TiffDirectory level = TiffDirectoryReader.Read(path)[0];
        using var stream = File.OpenRead(path);
        var tile = new byte[level.TileByteCounts[0]];
        stream.Position = level.TileOffsets[0];
        stream.ReadExactly(tile);
        Assert.True(JpegTileAssembler.TryAssemble(level.JpegTables.Span, tile, false, 3, 256, 256, out var whole, out var reason), reason);
        Assert.True(JpegTileAssembler.TryAssemble(level.JpegTables.Span, tile, false, 3, 155, 256, out var cropped, out reason), reason);
        return (whole, cropped);
    }

    /// <summary>Where the segment with <paramref name="marker"/> starts in a standalone JPEG.</summary>
    private static int OffsetOf(byte[] jpeg, byte marker)
    {
        var segments = new JpegSegmentReader(jpeg.AsSpan(2));
        while (segments.MoveNext())
        {
            if (segments.Current.Marker == marker)
            {
                return 2 + segments.Current.Offset;
            }
        }

        throw new InvalidOperationException($"No marker 0x{marker:X2}: {segments.Error}");
    }

    /// <summary>The whole tile with its frame header saying 155 wide: what the cropper is given.</summary>
    private static byte[] Narrowed(byte[] whole)
    {
        var jpeg = whole.ToArray();
        var sof = OffsetOf(jpeg, JpegMarkers.Sof0);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 7), 155);
        return jpeg;
    }

    [Fact]
    public void A_frame_cropped_to_fewer_mcu_columns_decodes_as_the_assembled_crop()
    {
        var (whole, assembled) = Tile();

        Assert.True(JpegEntropyCropper.TryCrop(Narrowed(whole), 256, 256, out var cropped, out var reason), reason);
        Assert.Equal(assembled, cropped);
    }

    [Fact]
    public void Fill_bytes_before_a_marker_are_walked_past()
    {
        // T.81 B.1.1.2: any marker may be preceded by 0xFF fill bytes. The cropper's own walk used to read the fill
        // byte as a marker and its neighbours as a length.
        var (whole, assembled) = Tile();
        var narrowed = Narrowed(whole);
        var sos = OffsetOf(narrowed, JpegMarkers.Sos);
        byte[] filled = [.. narrowed[..sos], 0xFF, 0xFF, .. narrowed[sos..]];

        Assert.True(JpegEntropyCropper.TryCrop(filled, 256, 256, out var cropped, out var reason), reason);
        using var expected = VipsImage.NewFromBuffer(assembled);
        using var actual = VipsImage.NewFromBuffer(cropped);
        Assert.Equal((155, 256), (actual.Width, actual.Height));
        using var difference = VipsOperation.Image("subtract", ("left", actual), ("right", expected));
        using var absolute = difference.Call("abs");
        Assert.Equal(0, absolute.Average());
    }

    [Fact]
    public void A_header_segment_whose_length_runs_past_the_end_is_refused_not_thrown()
    {
        var (whole, _) = Tile();
        var narrowed = Narrowed(whole);
        var sof = OffsetOf(narrowed, JpegMarkers.Sof0);
        BinaryPrimitives.WriteUInt16BigEndian(narrowed.AsSpan(sof + 2), 0xFFFF);

        Assert.False(JpegEntropyCropper.TryCrop(narrowed, 256, 256, out _, out var reason));
        Assert.Contains("past the end", reason);
        Assert.False(JpegEntropyCropper.TryCrop(narrowed.AsSpan(0, sof + 3), 256, 256, out _, out reason));
        Assert.Contains("truncated", reason);
    }

    [Fact]
    public void A_stream_without_a_sequential_frame_header_is_refused()
    {
        var (whole, _) = Tile();
        var narrowed = Narrowed(whole);
        narrowed[OffsetOf(narrowed, JpegMarkers.Sof0) + 1] = 0xC2;

        Assert.False(JpegEntropyCropper.TryCrop(narrowed, 256, 256, out _, out var reason));
        Assert.Contains("frame header", reason);
    }
}
