using System.Runtime.InteropServices;

namespace Tessera.Vips.Interop;

/// <summary>The few GObject/GLib entry points the binding needs (<c>g_*</c>).</summary>
internal static unsafe partial class GObjectNative
{
    [LibraryImport(Libraries.GObject)]
    public static partial void g_value_init(GValue* value, nuint gtype);

    [LibraryImport(Libraries.GObject)]
    public static partial void g_value_unset(GValue* value);

    [LibraryImport(Libraries.GObject)]
    public static partial void g_value_set_int(GValue* value, int v);

    [LibraryImport(Libraries.GObject)]
    public static partial void g_value_set_uint(GValue* value, uint v);

    [LibraryImport(Libraries.GObject)]
    public static partial void g_value_set_int64(GValue* value, long v);

    [LibraryImport(Libraries.GObject)]
    public static partial void g_value_set_uint64(GValue* value, ulong v);

    [LibraryImport(Libraries.GObject)]
    public static partial void g_value_set_double(GValue* value, double v);

    [LibraryImport(Libraries.GObject)]
    public static partial void g_value_set_boolean(GValue* value, int v);

    [LibraryImport(Libraries.GObject)]
    public static partial void g_value_set_string(GValue* value, byte* v);

    [LibraryImport(Libraries.GObject)]
    public static partial void g_value_set_enum(GValue* value, int v);

    [LibraryImport(Libraries.GObject)]
    public static partial void g_value_set_flags(GValue* value, uint v);

    [LibraryImport(Libraries.GObject)]
    public static partial void g_value_set_object(GValue* value, nint obj);

    /// <summary>As above, for an image: the handle stays alive until the value holds its own reference.</summary>
    [LibraryImport(Libraries.GObject)]
    public static partial void g_value_set_object(GValue* value, VipsObjectHandle obj);

    [LibraryImport(Libraries.GObject)]
    public static partial void g_value_set_boxed(GValue* value, nint boxed);

    [LibraryImport(Libraries.GObject)]
    public static partial int g_value_get_int(GValue* value);

    [LibraryImport(Libraries.GObject)]
    public static partial double g_value_get_double(GValue* value);

    [LibraryImport(Libraries.GObject)]
    public static partial int g_value_get_boolean(GValue* value);

    [LibraryImport(Libraries.GObject)]
    public static partial nint g_value_get_object(GValue* value);

    [LibraryImport(Libraries.GObject)]
    public static partial nint g_value_get_boxed(GValue* value);

    [LibraryImport(Libraries.GObject)]
    public static partial nint g_value_get_string(GValue* value);

    [LibraryImport(Libraries.GObject)]
    public static partial int g_value_get_enum(GValue* value);

    [LibraryImport(Libraries.GObject)]
    public static partial void g_object_set_property(nint obj, byte* name, GValue* value);

    [LibraryImport(Libraries.GObject)]
    public static partial void g_object_get_property(nint obj, byte* name, GValue* value);

    [LibraryImport(Libraries.GObject)]
    public static partial nint g_object_ref(nint obj);

    /// <summary>As above, for an object owned by a handle: the handle stays alive until the new reference is taken.</summary>
    [LibraryImport(Libraries.GObject)]
    public static partial nint g_object_ref(VipsObjectHandle obj);

    [LibraryImport(Libraries.GObject)]
    public static partial void g_object_unref(nint obj);

    [LibraryImport(Libraries.GObject)]
    public static partial nuint g_type_fundamental(nuint type);

    [LibraryImport(Libraries.GObject)]
    public static partial nint g_type_name(nuint type);

    [LibraryImport(Libraries.GObject)]
    public static partial nuint g_type_from_name(byte* name);

    [LibraryImport(Libraries.GLib)]
    public static partial void g_free(nint mem);
}
