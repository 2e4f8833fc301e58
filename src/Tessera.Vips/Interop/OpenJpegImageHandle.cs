using System.Runtime.InteropServices;

namespace Tessera.Vips.Interop;

/// <summary>An opj_image_t that OpenJPEG allocated (in opj_read_header) and fills on decode.</summary>
internal sealed unsafe class OpenJpegImageHandle : SafeHandle
{
    public OpenJpegImageHandle(OpenJpegNative.Image* image)
        : base(0, ownsHandle: true) => SetHandle((nint)image);

    public override bool IsInvalid => handle == 0;

    public OpenJpegNative.Image* Image => (OpenJpegNative.Image*)handle;

    protected override bool ReleaseHandle()
    {
        OpenJpegNative.opj_image_destroy((OpenJpegNative.Image*)handle);
        return true;
    }
}
