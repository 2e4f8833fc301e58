using System.Runtime.InteropServices;

namespace Tessera.Vips.Interop;

/// <summary>The pointer-level work behind <see cref="OpenSlideFile"/>: strings in and out, the error after each call.</summary>
internal static unsafe class OpenSlideCalls
{
    /// <summary>The slide open, or null when OpenSlide recognises no vendor in it; <paramref name="error"/> is set when OpenSlide recognised it and failed.</summary>
    public static OpenSlideHandle? Open(string path, out string? error)
    {
        error = null;
        nint osr;
        fixed (byte* p = Utf8.Z(path))
        {
            osr = OpenSlideNative.openslide_open(p);
        }

        if (osr == 0)
        {
            return null;
        }

        var handle = new OpenSlideHandle(osr);
        error = Error(handle);
        return handle;
    }

    /// <summary>The error recorded on the handle, or null.</summary>
    public static string? Error(OpenSlideHandle handle) => Use(handle, osr => Utf8.FromNative((nint)OpenSlideNative.openslide_get_error(osr)));

    public static List<string> AssociatedImageNames(OpenSlideHandle handle) => Use(handle, osr =>
    {
        var names = new List<string>();
        var list = OpenSlideNative.openslide_get_associated_image_names(osr);
        for (var i = 0; list != null && list[i] != null && i < 64; i++)
        {
            names.Add(Utf8.FromNative((nint)list[i]) ?? "");
        }

        return names;
    });

    public static (long Width, long Height) AssociatedImageDimensions(OpenSlideHandle handle, string name) => Use(handle, osr =>
    {
        long w, h;
        fixed (byte* n = Utf8.Z(name))
        {
            OpenSlideNative.openslide_get_associated_image_dimensions(osr, n, &w, &h);
        }

        return (w, h);
    });

    /// <summary>Reads the image into <paramref name="destination"/> (exactly width × height words); false when OpenSlide recorded an error.</summary>
    public static bool ReadAssociatedImage(OpenSlideHandle handle, string name, Span<uint> destination)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            fixed (byte* n = Utf8.Z(name))
            fixed (uint* d = destination)
            {
                OpenSlideNative.openslide_read_associated_image(handle.DangerousGetHandle(), n, d);
            }

            return OpenSlideNative.openslide_get_error(handle.DangerousGetHandle()) == null;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    public static string? Property(OpenSlideHandle handle, string name) => Use(handle, osr =>
    {
        fixed (byte* n = Utf8.Z(name))
        {
            return Utf8.FromNative((nint)OpenSlideNative.openslide_get_property_value(osr, n));
        }
    });

    /// <summary>Whether the shared object is installed (the package <c>libopenslide0</c>).</summary>
    public static bool IsLoadable()
    {
        if (!NativeLibrary.TryLoad(OpenSlideNative.Library, out var library))
        {
            return false;
        }

        var found = NativeLibrary.TryGetExport(library, "openslide_read_associated_image", out _);
        NativeLibrary.Free(library);
        return found;
    }

    /// <summary>Calls <paramref name="call"/> with the raw handle, kept alive (not closed by another thread) for the call.</summary>
    private static T Use<T>(OpenSlideHandle handle, Func<nint, T> call)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return call(handle.DangerousGetHandle());
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }
}
