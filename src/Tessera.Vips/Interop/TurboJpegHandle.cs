using System.Runtime.InteropServices;

namespace Tessera.Vips.Interop;

/// <summary>A TurboJPEG compressor or decompressor instance (not thread-safe: one user at a time).</summary>
internal sealed class TurboJpegHandle : SafeHandle
{
    public TurboJpegHandle(nint handle)
        : base(0, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle() => TurboJpegNative.tjDestroy(handle) == 0;
}
