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
/// rendered again. Layout: <c>{root}/{hash(id):2}/{hash(id)}/{hash(key)}.tdc</c>, so a purge is one folder.
/// </summary>
public sealed class DiskDerivativeCache : IDerivativeCache, IDisposable
{
    private const string Extension = ".tdc";
    private const string TempExtension = ".tmp";
    private static readonly byte[] Magic = "TDC1"u8.ToArray();

    /// <summary>Writes that may wait for the disk at once.</summary>
    public const int PendingWrites = 64;

    private readonly string _root;
    private readonly long _maxEntryBytes;
    private readonly LruCache<string, long> _index;
    private readonly Channel<(string Key, RenderedImage Image)> _writes;
    private readonly Task _writer;
    private int _pending;

    /// <param name="root">The cache folder (created when missing).</param>
    /// <param name="capacityBytes">The most bytes kept on disk.</param>
    public DiskDerivativeCache(string root, long capacityBytes)
    {
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(_root);
        _maxEntryBytes = Math.Max(1, capacityBytes / 8);
        _index = new LruCache<string, long>(capacityBytes, size => size, evicted: (path, _) => DeleteQuietly(path));
        Rebuild();
        // Writes waiting for the disk hold their images: at most PendingWrites of them (when the disk falls behind, an
        // entry is not cached and is rendered again next time). 1024 let a burst of thumbnails hold ~100 MB.
        // DropWrite still answers TryWrite with true: a dropped write is counted out here.
        _writes = Channel.CreateBounded<(string, RenderedImage)>(
            new BoundedChannelOptions(PendingWrites) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true },
            itemDropped: _ => Interlocked.Decrement(ref _pending));
        _writer = Task.Run(WriteLoopAsync);
    }

    public long Bytes => _index.Weight;

    public int Count => _index.Count;

    public bool TryGet(string key, out RenderedImage image)
    {
        image = null!;
        var path = PathOf(key);
        if (!_index.TryGet(path, out _))
        {
            return false;
        }

        try
        {
            if (TryRead(path, out image))
            {
                return true;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Vanished or unreadable: a miss, like any other cache failure.
        }

        _index.Remove(path);
        return false;
    }

    public void Set(string key, RenderedImage image)
    {
        if (image.Data.Length > _maxEntryBytes)
        {
            return;
        }

        Interlocked.Increment(ref _pending);
        if (!_writes.Writer.TryWrite((key, image)))
        {
            Interlocked.Decrement(ref _pending);
        }
    }

    public int Purge(string identifier)
    {
        var folder = Path.Combine(_root, FolderOf(identifier));
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

    /// <summary>The entry's header: magic, width, height, media type, data length and the data's SHA-256.</summary>
    internal static byte[] EncodeHeader(RenderedImage image)
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
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], image.Data.Length);
        SHA256.HashData(image.Data, span[(at + 4)..]);
        return header;
    }

    private static int HeaderLength(int mediaTypeLength) => 13 + mediaTypeLength + 4 + 32;

    /// <summary>
    /// Reads an entry with one allocation for its data (entries are often past the large-object size: reading the
    /// file whole and copying the data out doubled the garbage of every hit); false when it is damaged.
    /// </summary>
    internal static bool TryRead(string path, out RenderedImage image)
    {
        image = null!;
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 0);
        var total = file.Length;
        Span<byte> header = stackalloc byte[HeaderLength(byte.MaxValue)];
        if (total < 13 || file.ReadAtLeast(header[..13], 13, throwOnEndOfStream: false) < 13 || !header[..4].SequenceEqual(Magic))
        {
            return false;
        }

        int mediaLength = header[12];
        var headerLength = HeaderLength(mediaLength);
        if (total < headerLength || file.ReadAtLeast(header[13..headerLength], headerLength - 13, throwOnEndOfStream: false) < headerLength - 13)
        {
            return false;
        }

        var at = 13 + mediaLength;
        var length = BinaryPrimitives.ReadInt32LittleEndian(header[at..]);
        if (length < 0 || headerLength + (long)length != total)
        {
            return false;
        }

        var data = GC.AllocateUninitializedArray<byte>(length);
        if (file.ReadAtLeast(data, length, throwOnEndOfStream: false) < length || !SHA256.HashData(data).AsSpan().SequenceEqual(header.Slice(at + 4, 32)))
        {
            return false;
        }

        image = new RenderedImage(
            data,
            Encoding.ASCII.GetString(header.Slice(13, mediaLength)),
            BinaryPrimitives.ReadInt32LittleEndian(header[4..]),
            BinaryPrimitives.ReadInt32LittleEndian(header[8..]));
        return true;
    }

    private async Task WriteLoopAsync()
    {
        await foreach (var (key, image) in _writes.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                Write(key, image);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A full or read-only disk: this entry is simply not cached.
            }
            finally
            {
                Interlocked.Decrement(ref _pending);
            }
        }
    }

    private void Write(string key, RenderedImage image)
    {
        var path = PathOf(key);
        var header = EncodeHeader(image);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Guid.NewGuid():N}{TempExtension}";
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                file.Write(header);
                file.Write(image.Data);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A full disk fails mid-write: no half-written temporary is left behind (nor kept until the next start).
            DeleteQuietly(temp);
            throw;
        }

        _index.Set(path, header.Length + image.Data.Length);
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
