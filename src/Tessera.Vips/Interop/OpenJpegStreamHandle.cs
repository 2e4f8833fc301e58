using System.Runtime.InteropServices;

namespace Tessera.Vips.Interop;

/// <summary>An OpenJPEG input stream (opj_stream_t) over a file, with its own read buffer and file descriptor.</summary>
internal sealed class OpenJpegStreamHandle : SafeHandle
{
    public OpenJpegStreamHandle(nint handle)
        : base(0, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == 0;

    public nint Pointer => handle;

    protected override bool ReleaseHandle()
    {
        OpenJpegNative.opj_stream_destroy(handle);
        return true;
    }
}
