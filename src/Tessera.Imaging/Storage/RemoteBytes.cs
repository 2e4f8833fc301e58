namespace Tessera.Imaging.Storage;

/// <summary>
/// <see cref="ISourceBytes"/> of a remote object at one version: each <see cref="ReadExactly"/> is one ranged GET of
/// exactly the bytes asked for (a stored tile is one GET of that tile's bytes); <see cref="ReadMany"/> makes several
/// such GETs at once (a region's tiles).
/// </summary>
public sealed class RemoteBytes(IRemoteStore store, RemoteObjectInfo info) : ISourceBytes
{
    /// <summary>
    /// Ranged GETs one <see cref="ReadMany"/> keeps in flight at most: a region's tiles arrive in about the time of
    /// the slowest few instead of the sum of all, without one request opening dozens of connections to the store.
    /// </summary>
    public const int MaxConcurrentReads = 6;

    private long _requests;

    public long Length => info.Length;

    public string Version => info.Version;

    /// <summary>Ranged GETs made through this instance so far.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    public void ReadExactly(long offset, Span<byte> buffer, CancellationToken cancellationToken = default)
    {
        Check(offset, buffer.Length);
        if (buffer.IsEmpty)
        {
            return;
        }

        Interlocked.Increment(ref _requests);
        var bytes = new byte[buffer.Length];
        store.ReadRangeAsync(info, offset, bytes, cancellationToken).GetAwaiter().GetResult();
        bytes.CopyTo(buffer);
    }

    /// <summary>
    /// The bytes of every range, in order, each one ranged GET, at most <see cref="MaxConcurrentReads"/> at once; the
    /// calling thread waits for all of them (the render threads are synchronous).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A range is not within <see cref="Length"/>.</exception>
    /// <exception cref="RemoteStoreException">A read failed (the first failure; the others are stopped).</exception>
    public byte[][] ReadMany(IReadOnlyList<(long Offset, int Count)> ranges, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        var results = new byte[ranges.Count][];
        foreach (var (offset, count) in ranges)
        {
            Check(offset, count);
        }

        Task.Run(
            () => Parallel.ForEachAsync(
                Enumerable.Range(0, ranges.Count),
                new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentReads, CancellationToken = cancellationToken },
                async (i, token) =>
                {
                    var (offset, count) = ranges[i];
                    results[i] = new byte[count];
                    if (count > 0)
                    {
                        Interlocked.Increment(ref _requests);
                        await store.ReadRangeAsync(info, offset, results[i], token).ConfigureAwait(false);
                    }
                }),
            CancellationToken.None).GetAwaiter().GetResult();
        return results;
    }

    private void Check(long offset, int count)
    {
        if (offset < 0 || offset > Length || count < 0 || count > Length - offset)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"Expected a range within 0..{Length} but received {count} bytes at {offset}");
        }
    }
}
