using System.Runtime.InteropServices;

namespace Tessera.Vips.Interop;

/// <summary>The one C library call Tessera makes itself.</summary>
internal static partial class LibC
{
    /// <summary>glibc: give free heap memory of every arena back to the system; 1 when some was released.</summary>
    [LibraryImport("libc.so.6")]
    public static partial int malloc_trim(nuint pad);
}
