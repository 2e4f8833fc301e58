using Tessera.Imaging.Jpeg;

namespace Tessera.Imaging.Tests.Jpeg;

/// <summary>The one marker walker of the JPEG stream code: what it yields, and the headers it refuses.</summary>
public sealed class JpegSegmentReaderTests
{
    [Fact]
    public void Segments_are_walked_in_order_with_fill_bytes_skipped()
    {
        // APP0 (2 payload bytes), two fill bytes, DQT (1 payload byte), SOS (none).
        byte[] header = [0xFF, 0xE0, 0x00, 0x04, 0xAA, 0xBB, 0xFF, 0xFF, 0xFF, 0xDB, 0x00, 0x03, 0xCC, 0xFF, 0xDA, 0x00, 0x02];
        var found = new List<(byte Marker, int Offset, int Length, byte[] Payload)>();
        var segments = new JpegSegmentReader(header);
        while (segments.MoveNext())
        {
            found.Add((segments.Current.Marker, segments.Current.Offset, segments.Current.Length, segments.Current.Payload.ToArray()));
        }

        Assert.Null(segments.Error);
        Assert.Equal(3, found.Count);
        Assert.Equal((byte)0xE0, found[0].Marker);
        Assert.Equal((0, 4), (found[0].Offset, found[0].Length));
        Assert.Equal([0xAA, 0xBB], found[0].Payload);
        Assert.Equal((byte)0xDB, found[1].Marker);
        Assert.Equal((8, 3), (found[1].Offset, found[1].Length));
        Assert.Equal([0xCC], found[1].Payload);
        Assert.Equal((byte)0xDA, found[2].Marker);
        Assert.Equal((13, 2), (found[2].Offset, found[2].Length));
        Assert.Empty(found[2].Payload);
    }

    [Fact]
    public void An_empty_header_has_no_segments_and_no_error()
    {
        var segments = new JpegSegmentReader([]);

        Assert.False(segments.MoveNext());
        Assert.Null(segments.Error);
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0xE0, 0x00, 0x02 }, "expected a marker at byte 0")]
    [InlineData(new byte[] { 0xFF }, "expected a marker at byte 0")]
    [InlineData(new byte[] { 0xFF, 0xD8, 0x00, 0x02 }, "unexpected marker 0xD8")]
    [InlineData(new byte[] { 0xFF, 0xD9 }, "unexpected marker 0xD9")]
    [InlineData(new byte[] { 0xFF, 0xD3, 0x00, 0x02 }, "unexpected marker 0xD3")]
    [InlineData(new byte[] { 0xFF, 0x01, 0x00, 0x02 }, "unexpected marker 0x01")]
    [InlineData(new byte[] { 0xFF, 0xE0, 0x00 }, "is truncated")]
    [InlineData(new byte[] { 0xFF, 0xE0, 0x00, 0x01 }, "has length 1")]
    [InlineData(new byte[] { 0xFF, 0xE0, 0x00, 0x05, 0xAA, 0xBB }, "has length 5, past the end")]
    public void A_malformed_header_stops_the_walk_with_the_reason(byte[] header, string expected)
    {
        var segments = new JpegSegmentReader(header);

        Assert.False(segments.MoveNext());
        Assert.Contains(expected, segments.Error);

        // Stopped for good: no further segments are made up from the bytes after the fault.
        Assert.False(segments.MoveNext());
    }

    [Fact]
    public void A_fault_after_good_segments_is_reported_where_it_is()
    {
        byte[] header = [0xFF, 0xE0, 0x00, 0x02, 0x12, 0x34];
        var segments = new JpegSegmentReader(header);

        Assert.True(segments.MoveNext());
        Assert.False(segments.MoveNext());
        Assert.Equal("expected a marker at byte 4.", segments.Error);
    }

    [Theory]
    [InlineData(0xC0, true)]
    [InlineData(0xC1, true)]
    [InlineData(0xC2, true)]
    [InlineData(0xCF, true)]
    [InlineData(0xC4, false)]
    [InlineData(0xC8, false)]
    [InlineData(0xCC, false)]
    [InlineData(0xDA, false)]
    public void Frame_headers_are_sof0_to_sof15_but_dht_jpg_and_dac(byte marker, bool isFrame) =>
        Assert.Equal(isFrame, JpegMarkers.IsFrameHeader(marker));
}
