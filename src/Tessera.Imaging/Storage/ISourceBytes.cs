namespace Tessera.Imaging.Storage;

/// <summary>
/// A source's bytes, read by range without holding the whole: what the TIFF directory reader and the stored-tile and
/// JPEG-tile paths read through, so a pyramid TIFF is served in place from a local file or a remote object alike. One
/// <see cref="ReadExactly"/> is one positioned read of a file, or one ranged GET of an object.
/// </summary>
public interface ISourceBytes
{
    /// <summary>The length in bytes, fixed when the source was resolved.</summary>
    long Length { get; }

    /// <summary>The version read (file status, ETag, or Last-Modified and length): part of every cache key of what is read.</summary>
    string Version { get; }

    /// <summary>
    /// Fills <paramref name="buffer"/> with the bytes at <paramref name="offset"/>; the range must lie within
    /// <see cref="Length"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is not within <see cref="Length"/>.</exception>
    /// <exception cref="IOException">The read failed (a remote read: <see cref="RemoteStoreException"/>, which says whether it timed out).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    void ReadExactly(long offset, Span<byte> buffer, CancellationToken cancellationToken = default);
}
