using System.Runtime.InteropServices;

namespace Tessera.Vips.Interop;

/// <summary>An OpenJPEG decompressor (opj_codec_t): one decode at a time, and, for a tiled image, one decode at all.</summary>
internal sealed class OpenJpegCodecHandle : SafeHandle
{
    public OpenJpegCodecHandle(nint handle)
        : base(0, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == 0;

    public nint Pointer => handle;

    protected override bool ReleaseHandle()
    {
        OpenJpegNative.opj_destroy_codec(handle);
        return true;
    }
}
