using System.Runtime.InteropServices;

namespace Tessera.Vips.Interop;

/// <summary>
/// The few entry points of OpenSlide 3.4 (Debian's <c>libopenslide0</c>, the library libvips' <c>openslideload</c>
/// links) that read a slide's associated images, called directly: libvips 8.14.1 crashes reading their pixels. An
/// <c>openslide_t</c> is thread-safe; once an error is recorded on it, every later call on it fails and
/// <c>openslide_get_error</c> says why.
/// </summary>
internal static unsafe partial class OpenSlideNative
{
    public const string Library = "libopenslide.so.0";

    /// <summary>A handle (in an error state when <c>openslide_get_error</c> is not null), or 0 when no vendor recognises the file.</summary>
    [LibraryImport(Library)]
    public static partial nint openslide_open(byte* filename);

    [LibraryImport(Library)]
    public static partial void openslide_close(nint osr);

    /// <summary>The handle's error text, or null while it has none (owned by the handle).</summary>
    [LibraryImport(Library)]
    public static partial byte* openslide_get_error(nint osr);

    /// <summary>A NULL-terminated array of names (owned by the handle; empty in an error state).</summary>
    [LibraryImport(Library)]
    public static partial byte** openslide_get_associated_image_names(nint osr);

    /// <summary>Sets both to -1 on error or an unknown name.</summary>
    [LibraryImport(Library)]
    public static partial void openslide_get_associated_image_dimensions(nint osr, byte* name, long* w, long* h);

    /// <summary>Fills <paramref name="dest"/> (w × h premultiplied ARGB words) or, on error, clears it and records the error.</summary>
    [LibraryImport(Library)]
    public static partial void openslide_read_associated_image(nint osr, byte* name, uint* dest);

    /// <summary>A property's value (owned by the handle), or null.</summary>
    [LibraryImport(Library)]
    public static partial byte* openslide_get_property_value(nint osr, byte* name);
}
