namespace Tessera.Imaging.Storage;

/// <summary>
/// <see cref="ISourceBytes"/> of a remote object at one version: each <see cref="ReadExactly"/> is one ranged GET of
/// exactly the bytes asked for (a stored tile is one GET of that tile's bytes).
/// </summary>
public sealed class RemoteBytes(IRemoteStore store, RemoteObjectInfo info) : ISourceBytes
{
    private long _requests;

    public long Length => info.Length;

    public string Version => info.Version;

    /// <summary>Ranged GETs made through this instance so far.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    public void ReadExactly(long offset, Span<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (offset < 0 || offset > Length || buffer.Length > Length - offset)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"Expected a range within 0..{Length} but received {buffer.Length} bytes at {offset}");
        }

        if (buffer.IsEmpty)
        {
            return;
        }

        Interlocked.Increment(ref _requests);
        var bytes = new byte[buffer.Length];
        store.ReadRangeAsync(info, offset, bytes, cancellationToken).GetAwaiter().GetResult();
        bytes.CopyTo(buffer);
    }
}
