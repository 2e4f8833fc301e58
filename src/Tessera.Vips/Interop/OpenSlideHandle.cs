using System.Runtime.InteropServices;

namespace Tessera.Vips.Interop;

/// <summary>An open <c>openslide_t</c>, closed with <c>openslide_close</c> when released.</summary>
internal sealed class OpenSlideHandle : SafeHandle
{
    public OpenSlideHandle(nint handle)
        : base(0, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        OpenSlideNative.openslide_close(handle);
        return true;
    }
}
