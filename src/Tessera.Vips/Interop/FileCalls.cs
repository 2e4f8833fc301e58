using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Tessera.Vips.Interop;

/// <summary>Safe wrappers of <see cref="LibC"/>'s file calls: strings in, errno out, no pointer leaves this class.</summary>
internal static unsafe class FileCalls
{
    /// <summary>statx of a path (following the last link or not); 0 or the errno.</summary>
    public static int Status(string path, bool followLinks, out LibC.StatxBuffer buffer)
    {
        buffer = default;
        fixed (byte* name = Utf8.Z(path))
        fixed (LibC.StatxBuffer* output = &buffer)
        {
            return LibC.statx(LibC.AtFdCwd, name, followLinks ? 0 : LibC.AtSymlinkNoFollow, LibC.StatxBasicStats, output) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
    }

    /// <summary>statx of an open descriptor (AT_EMPTY_PATH): what was opened, whatever its path names now; 0 or the errno.</summary>
    public static int Status(SafeFileHandle handle, out LibC.StatxBuffer buffer)
    {
        buffer = default;
        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            byte empty = 0;
            fixed (LibC.StatxBuffer* output = &buffer)
            {
                return LibC.statx((int)handle.DangerousGetHandle(), &empty, LibC.AtEmptyPath, LibC.StatxBasicStats, output) == 0 ? 0 : Marshal.GetLastPInvokeError();
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// Opens a path read-only, following links, close-on-exec and non-blocking (a FIFO or a device left in the folder
    /// must not hang the caller; reads of regular files are not affected); the handle, or null with the errno.
    /// </summary>
    public static SafeFileHandle? OpenRead(string path, out int errno)
    {
        fixed (byte* name = Utf8.Z(path))
        {
            var descriptor = LibC.open(name, LibC.OpenReadOnly | LibC.OpenCloseOnExec | LibC.OpenNonBlocking | LibC.OpenNoControllingTerminal, 0);
            if (descriptor < 0)
            {
                errno = Marshal.GetLastPInvokeError();
                return null;
            }

            errno = 0;
            return new SafeFileHandle(descriptor, ownsHandle: true);
        }
    }

    /// <summary>The target of a symbolic link (here, <c>/proc/self/fd/N</c>), or null with the errno.</summary>
    public static string? ReadLink(string path, out int errno)
    {
        Span<byte> buffer = stackalloc byte[4097];
        fixed (byte* name = Utf8.Z(path))
        fixed (byte* output = buffer)
        {
            var length = LibC.readlink(name, output, (nuint)buffer.Length);
            if (length < 0)
            {
                errno = Marshal.GetLastPInvokeError();
                return null;
            }

            errno = 0;
            return length >= buffer.Length ? null : Encoding.UTF8.GetString(buffer[..(int)length]);
        }
    }
}
