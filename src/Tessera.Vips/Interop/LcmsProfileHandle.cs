using System.Runtime.InteropServices;

namespace Tessera.Vips.Interop;

/// <summary>An open LittleCMS profile; releasing the handle closes it.</summary>
internal sealed class LcmsProfileHandle : SafeHandle
{
    public LcmsProfileHandle(nint handle)
        : base(0, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == 0;

    public nint Pointer => handle;

    protected override bool ReleaseHandle() => LcmsNative.cmsCloseProfile(handle) != 0;
}
