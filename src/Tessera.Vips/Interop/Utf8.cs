using System.Runtime.InteropServices;
using System.Text;

namespace Tessera.Vips.Interop;

/// <summary>NUL-terminated UTF-8 strings for native calls, and back.</summary>
internal static class Utf8
{
    public static byte[] Z(string value)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        return bytes;
    }

    public static string? FromNative(nint pointer) => pointer == 0 ? null : Marshal.PtrToStringUTF8(pointer);
}
