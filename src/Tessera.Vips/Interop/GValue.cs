using System.Runtime.InteropServices;

namespace Tessera.Vips.Interop;

/// <summary>GLib's <c>GValue</c>: a GType and two 8-byte data words, blittable, 24 bytes on 64-bit Linux.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GValue
{
    public nuint GType;
    public ulong Data0;
    public ulong Data1;
}
