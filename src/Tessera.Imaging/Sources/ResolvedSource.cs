using Microsoft.Win32.SafeHandles;
using Tessera.Imaging.Storage;
using Tessera.Vips;

namespace Tessera.Imaging.Sources;

/// <summary>
/// An identifier resolved to a readable file, with what is needed to notice it changed. For an object in a bucket or
/// behind an HTTP origin, <see cref="Remote"/> says where it is, and <see cref="Path"/> is where the spool keeps (or will
/// keep) its whole copy.
/// </summary>
/// <param name="Identifier">The IIIF identifier, decoded.</param>
/// <param name="Path">The absolute path of the file, inside the source root, every link resolved.</param>
/// <param name="LastModified">The file's modification time (UTC).</param>
/// <param name="Length">The file's size in bytes.</param>
public sealed record ResolvedSource(string Identifier, string Path, DateTimeOffset LastModified, long Length)
{
    /// <summary>
    /// The file's identity and version as seen on the handle that was checked when it was resolved (inode, size, mtime,
    /// ctime); null for a source made without it (then only <see cref="LastModified"/> and <see cref="Length"/> tell versions apart).
    /// </summary>
    public FileStatus? Status { get; init; }

    /// <summary>
    /// The object this source is, when it is remote (its store, HEAD and version; read in place or from the spool), or
    /// null for a local file. A remote source's version is fixed by its HEAD: it is always current for this request.
    /// </summary>
    public RemoteObject? Remote { get; init; }

    /// <summary>
    /// Changes whenever the file is replaced or rewritten; part of every cache key built from this source. With a
    /// <see cref="Status"/>, the inode and ctime too: a replacement of equal size and mtime, or a rewrite that puts the
    /// mtime back, is another version, so nothing cached of one version is ever taken for another.
    /// </summary>
    public string Version => Remote is { } remote
        ? remote.Info.Version
        : Status is { } s
        ? $"{LastModified.UtcTicks:x}-{Length:x}-{s.Inode:x}-{s.ChangedNanoseconds:x}"
        : $"{LastModified.UtcTicks:x}-{Length:x}";

    /// <summary>
    /// Opens the file for reading and checks that what was opened is this version (same device, inode, size, mtime,
    /// ctime): every reader of a source's bytes goes through here (or hands such a handle to libvips and OpenJPEG), so
    /// nothing is read from whatever the path names by then (a folder swapped for a link out of the root since the
    /// request resolved it, a replaced file). Never blocks (a FIFO put there since opens at once and fails the check).
    /// </summary>
    /// <exception cref="IOException">The file is gone, unreadable, or another version now (a read that failed so is answered 503 and tried again).</exception>
    public SafeFileHandle OpenVerified()
    {
        var opened = NativeFile.TryOpenRead(Path, out var error)
            ?? throw new IOException($"Expected to open version {Version} of {Identifier} but it could not be opened ({error})");
        if (Status is { } expected && !FileStatus.Of(opened).SameVersionAs(expected))
        {
            opened.Dispose();
            throw new IOException($"Expected version {Version} of {Identifier} but the file was replaced or written since it was resolved");
        }

        return opened;
    }

    /// <summary>
    /// Opens this version of the file with libvips' loader <paramref name="loader"/> (<c>tiffload</c>, ...), reading
    /// through a descriptor of the file <see cref="OpenVerified"/> opened and checked: the image keeps reading that
    /// file for as long as it lives, whatever the path names later.
    /// </summary>
    /// <exception cref="IOException">The file is gone or another version now.</exception>
    /// <exception cref="VipsException">The loader failed on the file's header.</exception>
    public VipsImage Load(string loader, params ReadOnlySpan<VipsArg> options)
    {
        using var file = OpenVerified();
        return VipsImage.LoadDescriptor(loader, file, options);
    }

    /// <summary>
    /// Whether <see cref="Path"/> is still this version of the file (one statx): asked after a source was read, so that
    /// what was read while it was replaced or written is thrown away instead of served or cached.
    /// </summary>
    public bool IsCurrent()
    {
        if (Remote is not null)
        {
            return true;
        }

        if (Status is { } status)
        {
            return FileStatus.TryGet(Path, followLinks: true, out var now) && now.SameVersionAs(status);
        }

        var file = new FileInfo(Path);
        return file.Exists && file.Length == Length && file.LastWriteTimeUtc == LastModified.UtcDateTime;
    }

    /// <summary>
    /// Whether the file is being written, asked when a read of it failed: no longer this version, or modified within
    /// the last <paramref name="settle"/> and changed again while watched for a moment (up to 250 ms, asked only then). A
    /// read that failed so is answered "try again" (503), not "damaged" (500); a damaged file that nothing writes is
    /// still a 500, at once when it is older than <paramref name="settle"/>.
    /// </summary>
    public bool IsChanging(TimeSpan settle)
    {
        if (Remote is not null)
        {
            // A remote version is an ETag: a failed read of it is the store's failure or damage, never a write seen half-done.
            return false;
        }

        if (!IsCurrent())
        {
            return true;
        }

        if (DateTimeOffset.UtcNow - LastModified >= settle)
        {
            return false;
        }

        for (var look = 0; look < 10; look++)
        {
            Thread.Sleep(25);
            if (!IsCurrent())
            {
                return true;
            }
        }

        return false;
    }
}
