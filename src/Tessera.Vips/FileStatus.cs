using Microsoft.Win32.SafeHandles;
using Tessera.Vips.Interop;

namespace Tessera.Vips;

/// <summary>
/// A file's identity and version as the kernel reports them (statx(2)): which file it is (<see cref="Device"/> and
/// <see cref="Inode"/>, which .NET does not expose) and which version of it (<see cref="Size"/>, <see cref="ModifiedNanoseconds"/>,
/// <see cref="ChangedNanoseconds"/>). Taken from a path, or from an open handle: the status of what was opened, whatever
/// the path names by then. Linux only, like the rest of this project.
/// </summary>
/// <param name="Device">The filesystem holding the file: an opaque number (major and minor), equal for equal filesystems.</param>
/// <param name="Inode">The file's number on its filesystem: with <paramref name="Device"/>, which file it is, under any name.</param>
/// <param name="Size">Bytes.</param>
/// <param name="ModifiedNanoseconds">Last change of the content (mtime), nanoseconds since 1970 UTC; settable by anyone who can write the file.</param>
/// <param name="ChangedNanoseconds">
/// Last change of the inode (ctime: content, links, permissions, renames), nanoseconds since 1970 UTC; the kernel sets
/// it to now on every such change and no one can set it back, so a rewrite that restores the mtime still shows here.
/// </param>
/// <param name="Kind">Regular file, directory, link (only when links are not followed) or other.</param>
public readonly record struct FileStatus(ulong Device, ulong Inode, long Size, long ModifiedNanoseconds, long ChangedNanoseconds, FileKind Kind)
{
    /// <summary>The modification time, to the 100 ns .NET keeps.</summary>
    public DateTimeOffset LastModified => DateTimeOffset.UnixEpoch.AddTicks(ModifiedNanoseconds / 100);

    /// <summary>Whether both describe the same file (same filesystem, same inode), whatever its version.</summary>
    public bool SameFileAs(FileStatus other) => Device == other.Device && Inode == other.Inode;

    /// <summary>
    /// Whether both describe the same version of the same file: same file, size, mtime and ctime. A file replaced (a
    /// new inode) or written in place (a new ctime, even when size and mtime are put back) is another version.
    /// </summary>
    public bool SameVersionAs(FileStatus other) =>
        SameFileAs(other) && Size == other.Size && ModifiedNanoseconds == other.ModifiedNanoseconds && ChangedNanoseconds == other.ChangedNanoseconds;

    /// <summary>The status of <paramref name="path"/>, following a final symbolic link or not; false when it cannot be had.</summary>
    public static bool TryGet(string path, bool followLinks, out FileStatus status) => TryGet(path, followLinks, out status, out _);

    /// <summary>As <see cref="TryGet(string, bool, out FileStatus)"/>, with why not (<see cref="FileError.Loop"/> for a loop of links).</summary>
    public static bool TryGet(string path, bool followLinks, out FileStatus status, out FileError error)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var errno = FileCalls.Status(path, followLinks, out var buffer);
        error = ErrorOf(errno);
        status = errno == 0 ? From(buffer) : default;
        return errno == 0;
    }

    /// <summary>The status of what <paramref name="handle"/> has open (fstat): not affected by renames or links changed since.</summary>
    /// <exception cref="IOException">The kernel refused (a closed handle; statx missing, before Linux 4.11).</exception>
    public static FileStatus Of(SafeFileHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        ObjectDisposedException.ThrowIf(handle.IsClosed, handle);
        var errno = FileCalls.Status(handle, out var buffer);
        return errno == 0 ? From(buffer) : throw new IOException($"Expected the status of an open file but statx failed with errno {errno}");
    }

    internal static FileError ErrorOf(int errno) => errno switch
    {
        0 => FileError.None,
        LibC.ENOENT or LibC.ENOTDIR or LibC.ENAMETOOLONG => FileError.NotFound,
        LibC.ELOOP => FileError.Loop,
        LibC.EACCES or 1 => FileError.Denied,
        _ => FileError.Other,
    };

    private static FileStatus From(in LibC.StatxBuffer b) => new(
        ((ulong)b.DeviceMajor << 32) | b.DeviceMinor,
        b.Inode,
        (long)b.Size,
        (b.ModifySeconds * 1_000_000_000) + b.ModifyNanoseconds,
        (b.ChangeSeconds * 1_000_000_000) + b.ChangeNanoseconds,
        (b.Mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0xA000 => FileKind.Link,
            _ => FileKind.Other,
        });
}
