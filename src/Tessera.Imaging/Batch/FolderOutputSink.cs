using Tessera.Vips;

namespace Tessera.Imaging.Batch;

/// <summary>
/// Outputs in a local folder: written under <see cref="StagingArea"/> and renamed into place, so a file at its final
/// path is complete. What exists is asked of the filesystem each time (cheap locally).
/// </summary>
public sealed class FolderOutputSink : IOutputSink
{
    private readonly StagingArea _staging;

    /// <param name="root">The output folder (created when missing).</param>
    /// <param name="tag">This part's name (<see cref="Shard.Tag"/>), for its staging folder.</param>
    public FolderOutputSink(string root, string tag)
    {
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root);
        _staging = new StagingArea(Root, tag);
    }

    /// <summary>The output folder (full path).</summary>
    public string Root { get; }

    public string Describe(string relativePath) => Path.Combine(Root, relativePath.Replace('/', Path.DirectorySeparatorChar));

    public Task ScanAsync(string relativeFolder, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public OutputEntry? Find(string relativePath)
    {
        var file = new FileInfo(Describe(relativePath));
        return file.Exists ? new OutputEntry(file.Length, file.LastWriteTimeUtc, null) : null;
    }

    public bool Holds(string relativePath, ReadOnlySpan<byte> data)
    {
        var path = Describe(relativePath);
        return File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(data);
    }

    /// <summary>Up to date when the output carries its master's time (<see cref="CommitAsync"/> sets it): equal, even for a master restored from backup.</summary>
    public bool IsUpToDate(string relativePath, DateTime masterModified)
    {
        var path = Describe(relativePath);
        return File.Exists(path) && File.GetLastWriteTimeUtc(path) == masterModified;
    }

    public Task WriteAsync(string relativePath, byte[] data, string contentType, int width = 0, int height = 0, CancellationToken cancellationToken = default)
    {
        _staging.Write(Describe(relativePath), data);
        return Task.CompletedTask;
    }

    public string NewTemporaryPath(string extension) => _staging.NewTemporaryPath(extension);

    public Task CommitAsync(string temporaryPath, string relativePath, string contentType, DateTime masterModified, CancellationToken cancellationToken = default)
    {
        File.SetLastWriteTimeUtc(temporaryPath, masterModified);
        _staging.Commit(temporaryPath, Describe(relativePath));
        return Task.CompletedTask;
    }

    public Task<(int Width, int Height)?> DimensionsAsync(string relativePath, CancellationToken cancellationToken = default)
    {
        using var image = VipsImage.NewFromFile(Describe(relativePath));
        return Task.FromResult<(int, int)?>((image.Width, image.Height));
    }

    public void Dispose() => _staging.Dispose();
}
