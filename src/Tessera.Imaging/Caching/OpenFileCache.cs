using Microsoft.Win32.SafeHandles;
using Tessera.Imaging.Sources;
using Tessera.Vips;

namespace Tessera.Imaging.Caching;

/// <summary>
/// Read-only file handles kept open for stored-tile reads (one positioned read per tile, no open and close per
/// request). Keyed by path and file version, so a replaced file gets a new handle; a handle is kept only when the file
/// it opened is that version (same inode, size, mtime, ctime), so its reads are bound to it even after the path is
/// replaced; bounded in count. A handle evicted
/// while another request reads from it makes that read throw <see cref="ObjectDisposedException"/>, which callers
/// treat as a miss.
/// </summary>
public sealed class OpenFileCache(int capacity = 256)
{
    private readonly Lock _lock = new();
    private readonly LruCache<string, SafeFileHandle> _files = new(capacity, evicted: (_, handle) => handle.Dispose());

    /// <summary>Handles held open now.</summary>
    public int Count => _files.Count;

    public SafeFileHandle Open(ResolvedSource source)
    {
        var key = $"{source.Path}\n{source.Version}";
        lock (_lock)
        {
            if (_files.TryGet(key, out var open))
            {
                return open;
            }
        }

        // Replaced since it was resolved: a handle kept under this version must read this version's bytes only.
        var opened = source.OpenVerified();

        lock (_lock)
        {
            if (_files.TryGet(key, out var raced))
            {
                opened.Dispose();
                return raced;
            }

            // An older version of the same path is a file replaced on disk: let its inode go.
            _files.RemoveWhere(k => k.StartsWith(source.Path + "\n", StringComparison.Ordinal));
            _files.Set(key, opened);
            return opened;
        }
    }

    /// <summary>Closes the handles of a path (a purge).</summary>
    public int Forget(string path)
    {
        lock (_lock)
        {
            return _files.RemoveWhere(k => k.StartsWith(path + "\n", StringComparison.Ordinal));
        }
    }
}
