using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Tessera.Imaging.Rendering;

namespace Tessera.Imaging.Caching;

/// <summary>
/// Derivatives on disk, bounded in bytes, least recently used first out; survives restarts (the index is rebuilt
/// from the files, oldest first). Writes are atomic (a temporary name, then a rename) and happen off the request
/// path; every entry carries a SHA-256 of its bytes, so a corrupt or truncated file is detected, deleted and
/// rendered again, and a SHA-256 of its key, so an entry copied over another's file is not served for the other's
/// key. Layout: <c>{root}/{hash(id):2}/{hash(id)}/{hash(key)}.tdc</c>, so a purge is one folder.
/// </summary>
/// <remarks>
/// The cache shares its filesystem with others: it plans to use at most the configured bytes and at most what it holds
/// plus what the filesystem has free, less a margin (<see cref="FreeSpaceMargin"/>), checked at start, every
/// <see cref="SizingInterval"/> and after a failed write. A failed write leaves no temporary file; failures are
/// reported through the warning callback, at most once per <see cref="WarningInterval"/>.
/// </remarks>
public sealed class DiskDerivativeCache : IDerivativeCache, IDisposable
{
    private const string Extension = ".tdc";
    private const string TempExtension = ".tmp";

    // TDC2 added the key's hash; TDC1 entries left from before are misses, deleted when read.
    private static readonly byte[] Magic = "TDC2"u8.ToArray();

    /// <summary>Writes that may wait for the disk at once.</summary>
    public const int PendingWrites = 64;

    /// <summary>Free space left to others on the cache's filesystem: 5% of its size, at most 64 MiB.</summary>
    public static long FreeSpaceMargin(long filesystemBytes) => Math.Min(64L << 20, filesystemBytes / 20);

    private readonly string _root;
    private readonly long _capacityBytes;
    private readonly LruCache<string, long> _index;
    private readonly Channel<(string Key, RenderedImage Image, long QueuedAt)> _writes;

    // Purges win over writes queued before them: each purge takes the next number and marks its folder with it; a
    // write carries the number current when it was queued and does not land in a folder marked later. Renaming into
    // place and purging take one lock, so a write never lands between a purge's mark and its deletion.
    private readonly Lock _purgeGate = new();
    private readonly Dictionary<string, long> _purgedAt = new(StringComparer.Ordinal);
    private long _purges;
    private readonly Task _writer;
    private readonly Action<string>? _warn;
    private readonly WarningThrottle _warnings = new();
    private long _nextSizing;
    private int _pending;
    private long _hits;
    private long _misses;

    /// <param name="root">The cache folder (created when missing).</param>
    /// <param name="capacityBytes">The most bytes kept on disk (less when the filesystem has less room).</param>
    /// <param name="warn">Where failures are reported (the server's log), rate-limited; null: not reported.</param>
    public DiskDerivativeCache(string root, long capacityBytes, Action<string>? warn = null)
    {
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(_root);
        _capacityBytes = capacityBytes;
        _warn = warn;
        _index = new LruCache<string, long>(capacityBytes, size => size, evicted: (path, _) => DeleteQuietly(path));
        Rebuild();
        Size();
        // Writes waiting for the disk hold their images: at most PendingWrites of them (when the disk falls behind, an
        // entry is not cached and is rendered again next time). 1024 let a burst of thumbnails hold ~100 MB.
        // DropWrite still answers TryWrite with true: a dropped write is counted out here.
        _writes = Channel.CreateBounded<(string, RenderedImage, long)>(
            new BoundedChannelOptions(PendingWrites) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true },
            itemDropped: _ => Interlocked.Decrement(ref _pending));
        _writer = Task.Run(WriteLoopAsync);
    }

    public long Bytes => _index.Weight;

    /// <summary>The bytes the cache plans to use now: the configured capacity, or less when its filesystem is short of room.</summary>
    public long CapacityBytes => _index.Capacity;

    /// <summary>The bytes the cache was configured to use; <see cref="CapacityBytes"/> is less while its filesystem is short of room.</summary>
    public long ConfiguredCapacityBytes => _capacityBytes;

    /// <summary>How often failures are reported at most; those in between are counted into the next report.</summary>
    public TimeSpan WarningInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the free space of the filesystem is looked at again while writing (also after every failed write).</summary>
    public TimeSpan SizingInterval { get; init; } = TimeSpan.FromSeconds(30);

    public int Count => _index.Count;

    /// <summary>Lookups answered so far.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Lookups not answered so far (unknown keys, and entries found damaged or another key's).</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Entries deleted for room so far (the bound, or a filesystem that filled up); purges are not counted.</summary>
    public long Evictions => _index.Evictions;

    public bool TryGet(string key, out RenderedImage image)
    {
        image = null!;
        var path = PathOf(key);
        if (!_index.TryGet(path, out _))
        {
            Interlocked.Increment(ref _misses);
            return false;
        }

        try
        {
            switch (TryRead(path, key, out image))
            {
                case EntryState.Valid:
                    Interlocked.Increment(ref _hits);
                    return true;
                case EntryState.OtherKey:
                    Warn($"Disk cache: the entry at {path} holds another key's image (a copied or moved file); deleted");
                    break;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Vanished or unreadable: a miss, like any other cache failure.
        }

        _index.Remove(path);
        Interlocked.Increment(ref _misses);
        return false;
    }

    public void Set(string key, RenderedImage image)
    {
        if (image.Data.Length > MaxEntryBytes)
        {
            return;
        }

        Interlocked.Increment(ref _pending);
        if (!_writes.Writer.TryWrite((key, image, Interlocked.Read(ref _purges))))
        {
            Interlocked.Decrement(ref _pending);
        }
    }

    /// <summary>Removes an identifier's entries, and keeps writes queued before now (renders done before the purge) from landing after it.</summary>
    public int Purge(string identifier)
    {
        var folder = Path.Combine(_root, FolderOf(identifier));
        lock (_purgeGate)
        {
            if (Volatile.Read(ref _pending) == 0)
            {
                _purgedAt.Clear(); // no write is queued: no mark can matter any more
            }

            _purgedAt[folder] = Interlocked.Increment(ref _purges);
            var removed = _index.RemoveWhere(p => p.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal));
            try
            {
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Files left behind are not in the index, so they are never served; the next rebuild drops them.
            }

            return removed;
        }
    }

    /// <summary>Whether the folder of <paramref name="path"/> was purged after a write queued at <paramref name="queuedAt"/>. Under <see cref="_purgeGate"/>.</summary>
    private bool PurgedSince(string path, long queuedAt) =>
        _purgedAt.TryGetValue(Path.GetDirectoryName(path)!, out var purgedAt) && purgedAt > queuedAt;

    /// <summary>Waits until every queued write is on disk (tests, shutdown).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        while (Volatile.Read(ref _pending) > 0)
        {
            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The cache's folder (full path), where readiness probes check that it can still be written.</summary>
    public string Root => _root;

    /// <summary>
    /// Stops taking writes and finishes those queued (each lands whole, by rename, or not at all), waiting at most 10 s:
    /// a server stopping calls this after its last request. Later <see cref="Set"/> calls are dropped. Idempotent.
    /// </summary>
    public void Dispose()
    {
        _writes.Writer.TryComplete();
        _writer.Wait(TimeSpan.FromSeconds(10));
    }

    /// <summary>
    /// The entry's header: magic, width, height, media type, the SHA-256 of the key, data length and the data's SHA-256.
    /// </summary>
    internal static byte[] EncodeHeader(string key, RenderedImage image)
    {
        var mediaType = Encoding.ASCII.GetBytes(image.MediaType);
        var header = new byte[HeaderLength(mediaType.Length)];
        var span = header.AsSpan();
        Magic.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], image.Width);
        BinaryPrimitives.WriteInt32LittleEndian(span[8..], image.Height);
        span[12] = (byte)mediaType.Length;
        mediaType.CopyTo(span[13..]);
        var at = 13 + mediaType.Length;
        SHA256.HashData(Encoding.UTF8.GetBytes(key), span[at..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[(at + 32)..], image.Data.Length);
        SHA256.HashData(image.Data, span[(at + 36)..]);
        return header;
    }

    private static int HeaderLength(int mediaTypeLength) => 13 + mediaTypeLength + 32 + 4 + 32;

    /// <summary>
    /// Reads the entry for <paramref name="key"/> with one allocation for its data (entries are often past the
    /// large-object size: reading the file whole and copying the data out doubled the garbage of every hit).
    /// </summary>
    internal static EntryState TryRead(string path, string key, out RenderedImage image)
    {
        image = null!;
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 0);
        var total = file.Length;
        Span<byte> header = stackalloc byte[HeaderLength(byte.MaxValue)];
        if (total < 13 || file.ReadAtLeast(header[..13], 13, throwOnEndOfStream: false) < 13 || !header[..4].SequenceEqual(Magic))
        {
            return EntryState.Damaged;
        }

        int mediaLength = header[12];
        var headerLength = HeaderLength(mediaLength);
        if (total < headerLength || file.ReadAtLeast(header[13..headerLength], headerLength - 13, throwOnEndOfStream: false) < headerLength - 13)
        {
            return EntryState.Damaged;
        }

        var at = 13 + mediaLength;
        Span<byte> keyHash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), keyHash);
        if (!keyHash.SequenceEqual(header.Slice(at, 32)))
        {
            return EntryState.OtherKey;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(header[(at + 32)..]);
        if (length < 0 || headerLength + (long)length != total)
        {
            return EntryState.Damaged;
        }

        var data = GC.AllocateUninitializedArray<byte>(length);
        if (file.ReadAtLeast(data, length, throwOnEndOfStream: false) < length || !SHA256.HashData(data).AsSpan().SequenceEqual(header.Slice(at + 36, 32)))
        {
            return EntryState.Damaged;
        }

        image = new RenderedImage(
            data,
            Encoding.ASCII.GetString(header.Slice(13, mediaLength)),
            BinaryPrimitives.ReadInt32LittleEndian(header[4..]),
            BinaryPrimitives.ReadInt32LittleEndian(header[8..]))
        {
            Tier = CacheTier.Disk,
        };
        return EntryState.Valid;
    }

    /// <summary>What reading an entry found.</summary>
    internal enum EntryState
    {
        Valid,
        Damaged,
        OtherKey,
    }

    /// <summary>The largest entry kept: an eighth of the bytes planned now, so one entry never crowds out the rest.</summary>
    private long MaxEntryBytes => Math.Max(1, _index.Capacity / 8);

    private async Task WriteLoopAsync()
    {
        await foreach (var (key, image, queuedAt) in _writes.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                if (Environment.TickCount64 >= Volatile.Read(ref _nextSizing))
                {
                    Size();
                }

                Write(key, image, queuedAt);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A full or read-only disk: this entry is not cached, the request was answered anyway. A full disk may
                // have been filled by others: plan again with what is free now. Whatever the failure, the loop goes on:
                // a writer that died would stop the cache for good, silently.
                Warn($"Disk cache: writing an entry failed ({e.Message}); it is not cached");
                Size();
            }
            finally
            {
                Interlocked.Decrement(ref _pending);
            }
        }
    }

    private void Write(string key, RenderedImage image, long queuedAt)
    {
        var path = PathOf(key);
        var header = EncodeHeader(key, image);
        var size = header.Length + (long)image.Data.Length;
        if (size > MaxEntryBytes)
        {
            return;
        }

        // Room first, so the bytes exist when the file lands (evicting after the write fails on a full filesystem).
        _index.MakeRoom(size);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Guid.NewGuid():N}{TempExtension}";
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                file.Write(header);
                file.Write(image.Data);
            }

            lock (_purgeGate)
            {
                if (PurgedSince(path, queuedAt))
                {
                    DeleteQuietly(temp);
                    return;
                }

                File.Move(temp, path, overwrite: true);
                _index.Set(path, size);
            }
        }
        catch (IOException)
        {
            DeleteQuietly(temp);
            if (!PurgedSinceLocked(path, queuedAt))
            {
                throw;
            }

            // The folder was deleted by a purge while this entry was written: it was not to land anyway.
        }
        catch
        {
            DeleteQuietly(temp);
            throw;
        }
    }

    private bool PurgedSinceLocked(string path, long queuedAt)
    {
        lock (_purgeGate)
        {
            return PurgedSince(path, queuedAt);
        }
    }

    /// <summary>
    /// Plans the bytes to use: at most the configured capacity, and at most what the cache holds plus what its
    /// filesystem has free less <see cref="FreeSpaceMargin"/>. Evicts down to it when it shrank.
    /// </summary>
    private void Size()
    {
        Volatile.Write(ref _nextSizing, Environment.TickCount64 + (long)SizingInterval.TotalMilliseconds);
        long free, total;
        try
        {
            var drive = new DriveInfo(_root);
            free = drive.AvailableFreeSpace;
            total = drive.TotalSize;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // The filesystem cannot say: keep the plan as it is.
            return;
        }

        var room = Math.Clamp(_index.Weight + free - FreeSpaceMargin(total), 0, _capacityBytes);
        if (room != _index.Capacity)
        {
            if (room < _capacityBytes && room < _index.Capacity)
            {
                Warn($"Disk cache: its filesystem has {free} bytes free of {total}; planning {room} bytes instead of {_capacityBytes}");
            }

            _index.Resize(room);
        }
    }

    /// <summary>Reports a failure, at most once per <see cref="WarningInterval"/>; those in between are counted into the next.</summary>
    private void Warn(string message)
    {
        if (_warn is null || !_warnings.TryTake(WarningInterval, out var suppressed))
        {
            return;
        }

        _warn(suppressed == 0 ? message : $"{message} ({suppressed} more disk cache failures since the last report)");
    }

    private void Rebuild()
    {
        var files = new List<FileInfo>();
        foreach (var file in new DirectoryInfo(_root).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }))
        {
            if (file.Name.EndsWith(TempExtension, StringComparison.Ordinal))
            {
                DeleteQuietly(file.FullName);
            }
            else if (file.Name.EndsWith(Extension, StringComparison.Ordinal))
            {
                files.Add(file);
            }
        }

        foreach (var file in files.OrderBy(f => f.LastWriteTimeUtc))
        {
            _index.Set(file.FullName, file.Length);
        }
    }

    private string PathOf(string key)
    {
        var identifier = DerivativeKey.IdentifierOf(key);
        return Path.Combine(_root, FolderOf(identifier), DerivativeKey.Hash(key)[..40] + Extension);
    }

    private static string FolderOf(string identifier)
    {
        var hash = DerivativeKey.Hash(identifier)[..40];
        return Path.Combine(hash[..2], hash);
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left behind; not in the index, so never served.
        }
    }
}
