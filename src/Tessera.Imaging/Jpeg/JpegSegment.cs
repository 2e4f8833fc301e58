namespace Tessera.Imaging.Jpeg;

/// <summary>One marker segment of a JPEG header, as <see cref="JpegSegmentReader"/> found it.</summary>
/// <param name="Marker">The marker code (the byte after 0xFF), e.g. <see cref="JpegMarkers.Sos"/>.</param>
/// <param name="Offset">Where its 0xFF is, from the start of the data walked.</param>
/// <param name="Length">Its length field: the payload and the two length bytes.</param>
/// <param name="Payload">The bytes after the length field.</param>
internal readonly ref struct JpegSegment(byte Marker, int Offset, int Length, ReadOnlySpan<byte> Payload)
{
    public byte Marker { get; } = Marker;

    public int Offset { get; } = Offset;

    public int Length { get; } = Length;

    public ReadOnlySpan<byte> Payload { get; } = Payload;

    /// <summary>Where the next marker is, from the start of the data walked.</summary>
    public int End => Offset + 2 + Length;
}
