using Microsoft.Win32.SafeHandles;

namespace Tessera.Imaging.Storage;

/// <summary>
/// <see cref="ISourceBytes"/> of a local file through an open handle (positioned reads; the handle is the caller's and
/// is not disposed here).
/// </summary>
public sealed class FileSourceBytes : ISourceBytes
{
    private readonly SafeFileHandle _handle;

    /// <param name="handle">A readable handle, owned by the caller.</param>
    /// <param name="version">The version the handle was checked to be.</param>
    public FileSourceBytes(SafeFileHandle handle, string version)
    {
        ArgumentNullException.ThrowIfNull(handle);
        _handle = handle;
        Version = version;

        // Read once: a file that grows while being served is not ours to follow.
        Length = RandomAccess.GetLength(handle);
    }

    public long Length { get; }

    public string Version { get; }

    public void ReadExactly(long offset, Span<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (offset < 0 || offset > Length || buffer.Length > Length - offset)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"Expected a range within 0..{Length} but received {buffer.Length} bytes at {offset}");
        }

        var done = 0;
        while (done < buffer.Length)
        {
            var n = RandomAccess.Read(_handle, buffer[done..], offset + done);
            if (n <= 0)
            {
                throw new EndOfStreamException($"Expected {buffer.Length} bytes at offset {offset} but the file ended at {offset + done}");
            }

            done += n;
        }
    }
}
