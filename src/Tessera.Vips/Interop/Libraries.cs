namespace Tessera.Vips.Interop;

/// <summary>The shared objects of Debian's libvips 8.14 (package <c>libvips42</c>) and the GLib it is built on.</summary>
internal static class Libraries
{
    public const string Vips = "libvips.so.42";
    public const string GObject = "libgobject-2.0.so.0";
    public const string GLib = "libglib-2.0.so.0";
}
