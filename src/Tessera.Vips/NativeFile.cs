using Microsoft.Win32.SafeHandles;
using Tessera.Vips.Interop;

namespace Tessera.Vips;

/// <summary>
/// Opening a file so that what is checked is what was opened: <see cref="TryOpenRead"/> gives a handle, and
/// <see cref="PathOf"/> and <see cref="FileStatus.Of"/> say where and what that handle really is, whatever links were
/// followed or renamed on the way. Linux only (<c>/proc/self/fd</c>).
/// </summary>
public static class NativeFile
{
    /// <summary>
    /// Opens <paramref name="path"/> read-only, following links, never blocking (a FIFO or device opens at once; check
    /// <see cref="FileStatus.Kind"/> before reading). Null, with why, when it cannot be opened: <see cref="FileError.Loop"/>
    /// for a loop of links.
    /// </summary>
    public static SafeFileHandle? TryOpenRead(string path, out FileError error)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var handle = FileCalls.OpenRead(path, out var errno);
        error = FileStatus.ErrorOf(errno);
        return handle;
    }

    /// <summary>
    /// The absolute path, every link resolved, under which the kernel knows the open <paramref name="handle"/> (the
    /// target of <c>/proc/self/fd/N</c>): where the opened file really is. A file deleted since it was opened ends in
    /// <c> (deleted)</c>. Null when <c>/proc</c> is not mounted.
    /// </summary>
    public static string? PathOf(SafeFileHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            return FileCalls.ReadLink($"/proc/self/fd/{handle.DangerousGetHandle()}", out _);
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }
}
