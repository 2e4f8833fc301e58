using System.Runtime.InteropServices;

namespace Tessera.Vips.Interop;

/// <summary>Owns one GObject reference; releasing the handle drops it.</summary>
internal sealed class VipsObjectHandle : SafeHandle
{
    public VipsObjectHandle(nint pointer)
        : base(0, ownsHandle: true)
    {
        SetHandle(pointer);
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        // Dropping the last reference to a pipeline frees its operations, and with them their liborc programs.
        lock (VectorCode.Lock)
        {
            GObjectNative.g_object_unref(handle);
        }

        return true;
    }
}
