namespace Tessera.Imaging.Storage;

/// <summary>
/// Objects in a remote store (an S3 bucket, an HTTP origin), read by key: a HEAD, ranged GETs, a whole download, a
/// listing. Every call is bounded by the store's timeout and <c>cancellationToken</c>, retried with backoff only where
/// repeating is safe (all of these are reads), and fails with <see cref="RemoteStoreException"/>.
/// </summary>
public interface IRemoteStore
{
    /// <summary>How the object at <paramref name="key"/> is named in messages and logs (<c>s3://bucket/key</c>, a URL).</summary>
    string Describe(string key);

    /// <summary>The object's length and version.</summary>
    /// <exception cref="RemoteStoreException">Missing (<see cref="RemoteFailure.NotFound"/>), unreachable, or too slow.</exception>
    Task<RemoteObjectInfo> HeadAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Exactly <c>buffer.Length</c> bytes at <paramref name="offset"/>, in one ranged GET (retried whole when it fails).
    /// </summary>
    /// <exception cref="RemoteStoreException">The read failed or came short.</exception>
    Task ReadRangeAsync(RemoteObjectInfo info, long offset, Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>The whole object written to <paramref name="destination"/> (one GET; the caller discards a partial write).</summary>
    /// <exception cref="RemoteStoreException">The download failed.</exception>
    Task DownloadAsync(RemoteObjectInfo info, Stream destination, CancellationToken cancellationToken);

    /// <summary>Whether <see cref="ListAsync"/> can list this store (an HTTP origin cannot).</summary>
    bool CanList { get; }

    /// <summary>
    /// Keys under the store's root, relative to it, in the store's order, page by page; stops when
    /// <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    /// <exception cref="RemoteStoreException">A page could not be read.</exception>
    /// <exception cref="NotSupportedException"><see cref="CanList"/> is false.</exception>
    IAsyncEnumerable<string> ListAsync(CancellationToken cancellationToken);

    /// <summary>Why the store cannot be read now, or null: one cheap call (a HeadBucket, or a HEAD of the root).</summary>
    Task<string?> ProblemAsync(CancellationToken cancellationToken);
}
