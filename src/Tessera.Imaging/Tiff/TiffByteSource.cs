using Microsoft.Win32.SafeHandles;

namespace Tessera.Imaging.Tiff;

/// <summary>
/// Positioned reads from a file handle or a seekable stream, so the reader never loads the whole file and every
/// read is checked against the real length first: a truncated file fails with <see cref="TiffFormatException"/>.
/// </summary>
internal abstract class TiffByteSource
{
    public abstract long Length { get; }

    public static TiffByteSource From(SafeFileHandle handle) => new HandleSource(handle);

    public static TiffByteSource From(Stream stream) => new StreamSource(stream);

    /// <summary>Reads through <paramref name="bytes"/>: a remote object's reads become ranged GETs.</summary>
    public static TiffByteSource From(Storage.ISourceBytes bytes, CancellationToken cancellationToken = default) => new BytesSource(bytes, cancellationToken);

    /// <summary>Fills <paramref name="buffer"/> from <paramref name="offset"/>, or throws when the file ends first.</summary>
    public void ReadExactly(long offset, Span<byte> buffer)
    {
        if (offset < 0 || offset > Length || buffer.Length > Length - offset)
        {
            throw new TiffFormatException(
                $"Expected {buffer.Length} bytes at offset {offset} but the file has {Length} bytes.");
        }

        int done = 0;
        while (done < buffer.Length)
        {
            int n = ReadAt(offset + done, buffer[done..]);
            if (n <= 0)
            {
                throw new TiffFormatException($"Unexpected end of file at offset {offset + done}.");
            }

            done += n;
        }
    }

    protected abstract int ReadAt(long offset, Span<byte> buffer);

    private sealed class BytesSource(Storage.ISourceBytes bytes, CancellationToken cancellationToken) : TiffByteSource
    {
        public override long Length => bytes.Length;

        // ReadExactly above has checked the range: one read of the whole buffer, so one request for a remote object.
        protected override int ReadAt(long offset, Span<byte> buffer)
        {
            bytes.ReadExactly(offset, buffer, cancellationToken);
            return buffer.Length;
        }
    }

    private sealed class HandleSource(SafeFileHandle handle) : TiffByteSource
    {
        // Read once: a file that grows while being served is not ours to follow.
        private readonly long _length = RandomAccess.GetLength(handle);

        public override long Length => _length;

        protected override int ReadAt(long offset, Span<byte> buffer) => RandomAccess.Read(handle, buffer, offset);
    }

    private sealed class StreamSource : TiffByteSource
    {
        private readonly Stream _stream;
        private readonly long _length;

        public StreamSource(Stream stream)
        {
            if (!stream.CanSeek || !stream.CanRead)
            {
                throw new ArgumentException("Expected a readable, seekable stream.", nameof(stream));
            }

            _stream = stream;
            _length = stream.Length;
        }

        public override long Length => _length;

        protected override int ReadAt(long offset, Span<byte> buffer)
        {
            _stream.Position = offset;
            return _stream.Read(buffer);
        }
    }
}
