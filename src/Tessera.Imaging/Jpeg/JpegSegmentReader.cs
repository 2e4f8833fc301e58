using System.Buffers.Binary;

namespace Tessera.Imaging.Jpeg;

/// <summary>
/// Walks the marker segments of a JPEG header (the bytes after SOI) one at a time, checking each: a marker where one
/// is due, a length that fits in the data. Fill bytes (0xFF before a marker) are skipped. A marker that stands alone
/// (SOI, EOI, TEM, RSTn) has no place in a header and is an error. The walk stops at the end of the data, at an error,
/// or where the caller stops asking (after SOS: what follows is entropy-coded data, not segments).
/// </summary>
/// <example>
/// <code>
/// var segments = new JpegSegmentReader(header);
/// while (segments.MoveNext()) { var segment = segments.Current; ... }
/// if (segments.Error is { } error) { ... }
/// </code>
/// </example>
internal ref struct JpegSegmentReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _at;

    /// <summary>The segment <see cref="MoveNext"/> moved to.</summary>
    public JpegSegment Current { get; private set; }

    /// <summary>Why the walk stopped before the end of the data (e.g. "expected a marker at byte 12."), or null.</summary>
    public string? Error { get; private set; }

    /// <summary>Moves to the next segment: false at the end of the data or at a malformed one (then <see cref="Error"/> says why).</summary>
    public bool MoveNext()
    {
        if (Error is not null)
        {
            return false;
        }

        while (_at < _data.Length)
        {
            var at = _at;
            if (_data[at] != 0xFF || at + 1 >= _data.Length)
            {
                return Fail($"expected a marker at byte {at}.");
            }

            var marker = _data[at + 1];
            if (marker == 0xFF)
            {
                _at++; // fill byte before a marker
                continue;
            }

            if (JpegMarkers.IsStandalone(marker))
            {
                return Fail($"unexpected marker 0x{marker:X2} at byte {at}.");
            }

            if (at + 4 > _data.Length)
            {
                return Fail($"marker 0x{marker:X2} at byte {at} is truncated.");
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(_data[(at + 2)..]);
            if (length < 2 || at + 2 + length > _data.Length)
            {
                return Fail($"marker 0x{marker:X2} at byte {at} has length {length}, past the end of the data.");
            }

            Current = new JpegSegment(marker, at, length, _data.Slice(at + 4, length - 2));
            _at = at + 2 + length;
            return true;
        }

        return false;
    }

    private bool Fail(string error)
    {
        Error = error;
        return false;
    }
}
