using System.Runtime.InteropServices;

namespace Tessera.Vips.Interop;

/// <summary>
/// A LittleCMS transform, built without its one-pixel cache so that many threads may run it at once; releasing the
/// handle deletes it. Users take a reference for each call (<see cref="SafeHandle.DangerousAddRef"/>), so a dispose
/// that comes during a call waits for the call to end before the transform is freed.
/// </summary>
internal sealed class LcmsTransformHandle : SafeHandle
{
    public LcmsTransformHandle(nint handle)
        : base(0, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        LcmsNative.cmsDeleteTransform(handle);
        return true;
    }
}
