namespace Tessera.Imaging.Storage;

/// <summary>
/// Reads <see cref="ISourceBytes"/> in aligned blocks and keeps them, for a reader that makes many small reads close
/// together (the TIFF directory reader reads an IFD's entries, then each tag's values): a remote TIFF's directories then
/// cost a few ranged GETs, not one per tag. Short-lived: made for one directory read, then dropped.
/// </summary>
public sealed class BlockCachedBytes(ISourceBytes inner, int blockSize = 64 * 1024) : ISourceBytes
{
    private readonly Dictionary<long, byte[]> _blocks = [];

    public long Length => inner.Length;

    public string Version => inner.Version;

    /// <summary>Blocks read from the inner source so far.</summary>
    public int BlocksRead { get; private set; }

    public void ReadExactly(long offset, Span<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (offset < 0 || offset > Length || buffer.Length > Length - offset)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"Expected a range within 0..{Length} but received {buffer.Length} bytes at {offset}");
        }

        // A large value (tile offsets of a big level) is read as it is, in one request, and not kept.
        if (buffer.Length > 4 * blockSize)
        {
            inner.ReadExactly(offset, buffer, cancellationToken);
            return;
        }

        var done = 0;
        while (done < buffer.Length)
        {
            var at = offset + done;
            var start = at / blockSize * blockSize;
            if (!_blocks.TryGetValue(start, out var block))
            {
                block = new byte[(int)Math.Min(blockSize, Length - start)];
                inner.ReadExactly(start, block, cancellationToken);
                _blocks[start] = block;
                BlocksRead++;
            }

            var from = (int)(at - start);
            var n = Math.Min(block.Length - from, buffer.Length - done);
            block.AsSpan(from, n).CopyTo(buffer[done..]);
            done += n;
        }
    }
}
