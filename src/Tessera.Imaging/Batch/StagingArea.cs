using System.Collections.Concurrent;

namespace Tessera.Imaging.Batch;

/// <summary>
/// Atomic writes for a batch: every file is written in full under <c>OUT/.tessera-partial/{tag}/</c>, then renamed into
/// place (same file system, so the rename is atomic). A file at its final path is therefore always complete, which is
/// what makes a rerun after <c>kill -9</c> safe: it skips what exists and redoes the rest. Each part of a sharded job
/// has its own tag, so the leftovers of a killed run are cleared when that same part starts again, without touching
/// the files another part is writing.
/// </summary>
public sealed class StagingArea : IDisposable
{
    /// <summary>The folder under the output root that holds files being written.</summary>
    public const string FolderName = ".tessera-partial";

    private readonly ConcurrentDictionary<string, bool> _madeFolders = new(StringComparer.Ordinal);
    private readonly string _parent;

    public StagingArea(string outputRoot, string tag)
    {
        _parent = Path.Combine(outputRoot, FolderName);
        Folder = Path.Combine(_parent, tag);
        if (Directory.Exists(Folder))
        {
            // Leftovers of a killed run of this same part: never renamed into place, so never visible as output.
            Directory.Delete(Folder, recursive: true);
        }

        Directory.CreateDirectory(Folder);
    }

    /// <summary>Where this part's files are written before they are renamed into place.</summary>
    public string Folder { get; }

    /// <summary>A fresh temporary path (in <see cref="Folder"/>) ending with <paramref name="extension"/>, e.g. <c>.tif</c>.</summary>
    public string NewTemporaryPath(string extension) => Path.Combine(Folder, Guid.NewGuid().ToString("N") + extension);

    /// <summary>Writes <paramref name="data"/> to <paramref name="finalPath"/> atomically (replacing what is there).</summary>
    public void Write(string finalPath, ReadOnlySpan<byte> data)
    {
        var temporary = NewTemporaryPath(".part");
        using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1))
        {
            stream.Write(data);
        }

        Commit(temporary, finalPath);
    }

    /// <summary>Renames a finished temporary file into place, making its folder first.</summary>
    public void Commit(string temporaryPath, string finalPath)
    {
        EnsureFolder(Path.GetDirectoryName(finalPath)!);
        File.Move(temporaryPath, finalPath, overwrite: true);
    }

    /// <summary>Creates a folder once per run (tile trees make the same folders thousands of times).</summary>
    public void EnsureFolder(string folder)
    {
        if (_madeFolders.ContainsKey(folder))
        {
            return;
        }

        Directory.CreateDirectory(folder);
        _madeFolders.TryAdd(folder, true);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
            if (!Directory.EnumerateFileSystemEntries(_parent).Any())
            {
                Directory.Delete(_parent);
            }
        }
        catch (IOException)
        {
            // Another part finished at the same moment, or is still writing: its own Dispose tidies up.
        }
    }
}
