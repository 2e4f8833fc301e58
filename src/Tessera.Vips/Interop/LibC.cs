using System.Runtime.InteropServices;

namespace Tessera.Vips.Interop;

/// <summary>
/// The C library calls Tessera makes itself: heap trimming, and the file calls .NET does not expose (a file's device and
/// inode, an open descriptor's path, an open that never blocks on a FIFO). Constants are Linux's generic values, the
/// same on x86-64 and arm64.
/// </summary>
internal static unsafe partial class LibC
{
    private const string Library = "libc.so.6";

    public const int AtFdCwd = -100;
    public const int AtSymlinkNoFollow = 0x100;
    public const int AtEmptyPath = 0x1000;

    /// <summary>STATX_BASIC_STATS: type, mode, links, ids, times, inode, size, blocks.</summary>
    public const uint StatxBasicStats = 0x7ff;

    public const int OpenReadOnly = 0;
    public const int OpenNoControllingTerminal = 0x100;
    public const int OpenNonBlocking = 0x800;
    public const int OpenCloseOnExec = 0x80000;

    public const int ENOENT = 2;
    public const int EACCES = 13;
    public const int ENOTDIR = 20;
    public const int ENAMETOOLONG = 36;
    public const int ELOOP = 40;

    /// <summary>glibc: give free heap memory of every arena back to the system; 1 when some was released.</summary>
    [LibraryImport(Library)]
    public static partial int malloc_trim(nuint pad);

    /// <summary>
    /// statx(2) (glibc 2.28+, Linux 4.11+): unlike <c>struct stat</c>, <see cref="StatxBuffer"/> has one layout on every
    /// architecture. With <see cref="AtEmptyPath"/> and an empty path, the status of the open descriptor <paramref name="directory"/>.
    /// </summary>
    [LibraryImport(Library, SetLastError = true)]
    public static partial int statx(int directory, byte* path, int flags, uint mask, StatxBuffer* buffer);

    /// <summary>open(2), called with its fixed arguments only (the mode is read only with O_CREAT, never set here).</summary>
    [LibraryImport(Library, SetLastError = true)]
    public static partial int open(byte* path, int flags, int mode);

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint readlink(byte* path, byte* buffer, nuint size);

    /// <summary>struct statx of linux/stat.h: 256 bytes, fields read at their fixed offsets.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    public struct StatxBuffer
    {
        [FieldOffset(0)] public uint Mask;
        [FieldOffset(28)] public ushort Mode;
        [FieldOffset(32)] public ulong Inode;
        [FieldOffset(40)] public ulong Size;
        [FieldOffset(96)] public long ChangeSeconds;
        [FieldOffset(104)] public uint ChangeNanoseconds;
        [FieldOffset(112)] public long ModifySeconds;
        [FieldOffset(120)] public uint ModifyNanoseconds;
        [FieldOffset(136)] public uint DeviceMajor;
        [FieldOffset(140)] public uint DeviceMinor;
    }
}
