using System.Runtime.InteropServices;

namespace Tessera.Vips.Interop;

/// <summary>The pointer-level work behind <see cref="ColourTransform"/>: profiles, transforms and the rows they run on.</summary>
internal static unsafe class LcmsTransforms
{
    private static readonly Lazy<bool> Loadable = new(() =>
    {
        if (!NativeLibrary.TryLoad(Libraries.Lcms, out var library))
        {
            return false;
        }

        NativeLibrary.Free(library);
        return true;
    });

    // One context for the process, never freed: it holds no more than LittleCMS' defaults and our error handler.
    private static readonly Lazy<nint> Context = new(CreateContext);

    // LittleCMS reports an error through the handler on the thread that made the failing call, during that call, so
    // a thread-local slot pairs each message with its call without a lock.
    [ThreadStatic]
    private static string? _error;

    public static bool IsAvailable => Loadable.Value;

    /// <summary>Opens a profile held in memory (LittleCMS copies the bytes), or returns null with LittleCMS' reason.</summary>
    public static LcmsProfileHandle? OpenProfile(ReadOnlySpan<byte> data, out string? error)
    {
        var context = Context.Value;
        _error = null;
        fixed (byte* bytes = data)
        {
            var profile = LcmsNative.cmsOpenProfileFromMemTHR(context, bytes, (uint)data.Length);
            error = _error;
            return profile == 0 ? null : new LcmsProfileHandle(profile);
        }
    }

    /// <summary>LittleCMS' built-in sRGB profile (IEC 61966-2.1 primaries, D65 white, its parametric tone curve).</summary>
    public static LcmsProfileHandle CreateSrgb()
    {
        var profile = LcmsNative.cmsCreate_sRGBProfileTHR(Context.Value);
        return profile == 0 ? throw new ColourTransformException("LittleCMS could not create its sRGB profile (out of memory)") : new LcmsProfileHandle(profile);
    }

    /// <summary>The profile's data colour space signature (cmsSigRgbData and so on).</summary>
    public static uint ColourSpace(LcmsProfileHandle profile) => LcmsNative.cmsGetColorSpace(profile.Pointer);

    /// <summary>Whether the profile, used as input, has what the intent needs (a matrix, or the intent's own table).</summary>
    public static bool SupportsInputIntent(LcmsProfileHandle profile, uint intent) => LcmsNative.cmsIsIntentSupported(profile.Pointer, intent, LcmsNative.UsedAsInput) != 0;

    /// <summary>Builds a transform (the profiles may be closed afterwards), or returns null with LittleCMS' reason.</summary>
    public static LcmsTransformHandle? CreateTransform(LcmsProfileHandle input, uint inputFormat, LcmsProfileHandle output, uint outputFormat, uint intent, uint flags, out string? error)
    {
        var context = Context.Value;
        _error = null;
        var transform = LcmsNative.cmsCreateTransformTHR(context, input.Pointer, inputFormat, output.Pointer, outputFormat, intent, flags);
        error = _error;
        return transform == 0 ? null : new LcmsTransformHandle(transform);
    }

    /// <summary>Runs the transform on <paramref name="rows"/> rows of <paramref name="width"/> pixels in one call. The caller checks the sizes.</summary>
    public static void Apply(LcmsTransformHandle transform, ReadOnlySpan<byte> source, Span<byte> destination, int width, int rows, int sourceStride, int destinationStride)
    {
        var added = false;
        try
        {
            transform.DangerousAddRef(ref added);
            fixed (byte* input = source)
            fixed (byte* output = destination)
            {
                LcmsNative.cmsDoTransformLineStride(
                    transform.DangerousGetHandle(), input, output, (uint)width, (uint)rows, (uint)sourceStride, (uint)destinationStride, (uint)source.Length, (uint)destination.Length);
            }
        }
        finally
        {
            if (added)
            {
                transform.DangerousRelease();
            }
        }
    }

    private static nint CreateContext()
    {
        var context = LcmsNative.cmsCreateContext(0, 0);
        if (context == 0)
        {
            throw new ColourTransformException("LittleCMS could not create a context (out of memory)");
        }

        LcmsNative.cmsSetLogErrorHandlerTHR(context, &OnError);
        return context;
    }

    [UnmanagedCallersOnly]
    private static void OnError(nint context, uint code, byte* text)
    {
        try
        {
            _error = Marshal.PtrToStringUTF8((nint)text);
        }
        catch (OutOfMemoryException)
        {
            // Nothing may escape into native code; the caller still sees the failed call.
        }
    }
}
