namespace Tessera.Imaging.Batch;

/// <summary>
/// Where a batch writes its outputs: a local folder (<see cref="FolderOutputSink"/>) or an S3 prefix
/// (<see cref="S3OutputSink"/>). Paths are relative, separated by <c>/</c>. Every write is atomic: an output is either
/// absent or complete (a rename into place; an S3 PUT or completed multipart upload), which is what lets a rerun after a
/// kill skip what exists and redo the rest.
/// </summary>
/// <remarks>
/// Call order: <see cref="ScanAsync"/> a folder (optional: a folder not scanned is scanned on the first
/// <see cref="Find"/> in it), then <see cref="Find"/> and the writes, from any number of threads.
/// An S3 sink lists each folder once; a local one asks the filesystem each time.
/// </remarks>
public interface IOutputSink : IDisposable
{
    /// <summary>The full name of an output, for messages: a path or an <c>s3://</c> URI.</summary>
    string Describe(string relativePath);

    /// <summary>Learns what exists under a folder (recursively) in one listing, so later <see cref="Find"/>s in it ask nothing.</summary>
    Task ScanAsync(string relativeFolder, CancellationToken cancellationToken = default);

    /// <summary>The output at a path, or null when there is none.</summary>
    OutputEntry? Find(string relativePath);

    /// <summary>Whether the output at a path holds exactly these bytes.</summary>
    bool Holds(string relativePath, ReadOnlySpan<byte> data);

    /// <summary>Whether the output made from a master last modified at <paramref name="masterModified"/> is there and newer work is not needed.</summary>
    bool IsUpToDate(string relativePath, DateTime masterModified);

    /// <summary>Writes bytes at a path, atomically (replacing what is there).</summary>
    /// <param name="relativePath">Where, relative to the output root.</param>
    /// <param name="data">The bytes.</param>
    /// <param name="contentType">Their media type (kept by S3 and sent to its readers).</param>
    /// <param name="width">The image's width, kept with it (S3 metadata) so a rerun reports it without reading it; 0: not an image.</param>
    /// <param name="height">The image's height.</param>
    /// <param name="cancellationToken">Stops the write; nothing partial is left at the path.</param>
    Task WriteAsync(string relativePath, byte[] data, string contentType, int width = 0, int height = 0, CancellationToken cancellationToken = default);

    /// <summary>A fresh local path for a file that a writer (libvips) makes whole, then hands to <see cref="CommitAsync"/>.</summary>
    string NewTemporaryPath(string extension);

    /// <summary>Puts a finished temporary file at a path (a rename, or an upload then a delete), carrying <paramref name="masterModified"/>.</summary>
    Task CommitAsync(string temporaryPath, string relativePath, string contentType, DateTime masterModified, CancellationToken cancellationToken = default);

    /// <summary>The width and height of an image output written earlier, or null when they cannot be known.</summary>
    Task<(int Width, int Height)?> DimensionsAsync(string relativePath, CancellationToken cancellationToken = default);
}
