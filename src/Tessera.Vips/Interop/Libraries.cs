namespace Tessera.Vips.Interop;

/// <summary>
/// The shared objects of Debian's libvips 8.14 (package <c>libvips42</c>), the GLib it is built on, and the LittleCMS 2.14 it
/// links (package <c>liblcms2-2</c>, installed with libvips).
/// </summary>
internal static class Libraries
{
    public const string Vips = "libvips.so.42";
    public const string GObject = "libgobject-2.0.so.0";
    public const string GLib = "libglib-2.0.so.0";
    public const string Lcms = "liblcms2.so.2";
}
