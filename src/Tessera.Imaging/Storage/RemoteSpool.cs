using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Tessera.Imaging.Storage;

/// <summary>
/// A bounded local folder of whole remote objects, for what cannot be read in place (JPEG, PNG, JPEG 2000, TIFFs that
/// need libvips): each object version is fetched once, written to a <c>.tmp</c> file and renamed into place (so a
/// file under its final name is always whole), then served through the ordinary file path. Keyed by store, key and
/// version (ETag), so a changed object is a new file. Least recently used files go first when the total passes
/// <c>maxBytes</c>; a file used in the last few seconds is kept even over the bound, so one being opened by a request
/// is not pulled away under it. Files of earlier runs are removed at start (only this spool's own names).
/// </summary>
public sealed class RemoteSpool
{
    private const string Suffix = ".spool";

    private readonly TimeSpan _inUse;

    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _fetching = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _bytes;
    private long _fetches;

    /// <param name="directory">The spool folder (made when missing; spool files left in it by an earlier run are removed).</param>
    /// <param name="maxBytes">The most bytes kept.</param>
    /// <param name="inUse">How long after its last use a file is safe from eviction (default 10 s).</param>
    public RemoteSpool(string directory, long maxBytes, TimeSpan? inUse = null)
    {
        _inUse = inUse ?? TimeSpan.FromSeconds(10);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        Directory = Path.GetFullPath(directory);
        MaxBytes = maxBytes;
        System.IO.Directory.CreateDirectory(Directory);
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory))
        {
            var name = Path.GetFileName(file);
            if (name.Contains(Suffix, StringComparison.Ordinal))
            {
                TryDelete(file);
            }
        }
    }

    /// <summary>The spool folder.</summary>
    public string Directory { get; }

    /// <summary>The most bytes kept.</summary>
    public long MaxBytes { get; }

    /// <summary>Bytes held now.</summary>
    public long Bytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    /// <summary>Whole objects fetched so far (each version once, unless evicted and asked for again).</summary>
    public long Fetches => Interlocked.Read(ref _fetches);

    /// <summary>
    /// Where the object's version is (or will be) spooled: a name made from a hash of store, key and version, with the
    /// key's extension kept (the loader is chosen by content, but messages read better with it).
    /// </summary>
    public string PathFor(IRemoteStore store, RemoteObjectInfo info)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(info);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{store.Describe(info.Key)}\n{info.Version}")));
        var extension = Path.GetExtension(info.Key);
        if (extension.Length > 8 || extension.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '.'))
        {
            extension = "";
        }

        return Path.Combine(Directory, hash[..40] + Suffix + extension.ToLowerInvariant());
    }

    /// <summary>
    /// The local path of the object's version, fetched first if it is not here (concurrent callers for one version share
    /// one fetch).
    /// </summary>
    /// <exception cref="RemoteStoreException">The fetch failed.</exception>
    public async Task<string> FetchAsync(IRemoteStore store, RemoteObjectInfo info, CancellationToken cancellationToken)
    {
        var path = PathFor(store, info);
        lock (_lock)
        {
            if (_entries.TryGetValue(path, out var entry) && File.Exists(path))
            {
                entry.LastUsed = DateTime.UtcNow;
                return path;
            }
        }

        var fetch = _fetching.GetOrAdd(path, p => new Lazy<Task<string>>(() => DownloadAsync(store, info, p)));
        try
        {
            return await fetch.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (fetch.Value.IsCompleted)
            {
                _fetching.TryRemove(new KeyValuePair<string, Lazy<Task<string>>>(path, fetch));
            }
        }
    }

    /// <summary>Synchronous <see cref="FetchAsync"/>, for the render paths.</summary>
    public string Fetch(IRemoteStore store, RemoteObjectInfo info, CancellationToken cancellationToken = default) =>
        Task.Run(() => FetchAsync(store, info, cancellationToken), CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Removes the spooled file at <paramref name="path"/> (a purge); how many were removed.</summary>
    public int Forget(string path)
    {
        lock (_lock)
        {
            if (_entries.Remove(path, out var entry))
            {
                _bytes -= entry.Length;
                TryDelete(path);
                return 1;
            }
        }

        return 0;
    }

    private async Task<string> DownloadAsync(IRemoteStore store, RemoteObjectInfo info, string path)
    {
        // The fetch is shared by every caller waiting for this version: it is not cancelled when one of them goes away,
        // only bounded by the store's own timeout.
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await store.DownloadAsync(info, file, CancellationToken.None).ConfigureAwait(false);
                if (file.Length != info.Length)
                {
                    throw new RemoteStoreException(RemoteFailure.Unavailable, $"GET {store.Describe(info.Key)}: expected {info.Length} bytes but received {file.Length}");
                }
            }

            File.Move(temporary, path, overwrite: true);
            Interlocked.Increment(ref _fetches);
            lock (_lock)
            {
                if (_entries.Remove(path, out var old))
                {
                    _bytes -= old.Length;
                }

                _entries[path] = new Entry(info.Length) { LastUsed = DateTime.UtcNow };
                _bytes += info.Length;
                Evict(path);
            }

            return path;
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    private void Evict(string keep)
    {
        var now = DateTime.UtcNow;
        while (_bytes > MaxBytes)
        {
            var oldest = _entries.Where(e => e.Key != keep && now - e.Value.LastUsed >= _inUse).OrderBy(e => e.Value.LastUsed).FirstOrDefault();
            if (oldest.Key is null)
            {
                return;
            }

            _entries.Remove(oldest.Key);
            _bytes -= oldest.Value.Length;
            TryDelete(oldest.Key);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next start's cleaning.
        }
    }

    private sealed class Entry(long length)
    {
        public long Length { get; } = length;

        public DateTime LastUsed { get; set; }
    }
}
