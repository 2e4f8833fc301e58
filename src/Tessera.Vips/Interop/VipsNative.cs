using System.Runtime.InteropServices;

namespace Tessera.Vips.Interop;

/// <summary>The libvips entry points the binding needs (<c>vips_*</c>). No variadic function is declared here.</summary>
internal static unsafe partial class VipsNative
{
    [LibraryImport(Libraries.Vips)]
    public static partial int vips_init(byte* argv0);

    [LibraryImport(Libraries.Vips)]
    public static partial int vips_version(int flag);

    [LibraryImport(Libraries.Vips)]
    public static partial nint vips_error_buffer();

    [LibraryImport(Libraries.Vips)]
    public static partial void vips_error_clear();

    [LibraryImport(Libraries.Vips)]
    public static partial void vips_cache_set_max(int max);

    [LibraryImport(Libraries.Vips)]
    public static partial void vips_concurrency_set(int concurrency);

    [LibraryImport(Libraries.Vips)]
    public static partial int vips_concurrency_get();

    [LibraryImport(Libraries.Vips)]
    public static partial void vips_block_untrusted_set(int state);

    [LibraryImport(Libraries.Vips)]
    public static partial void vips_leak_set(int leak);

    [LibraryImport(Libraries.Vips)]
    public static partial nuint vips_tracked_get_mem();

    [LibraryImport(Libraries.Vips)]
    public static partial nuint vips_tracked_get_mem_highwater();

    [LibraryImport(Libraries.Vips)]
    public static partial int vips_tracked_get_files();

    [LibraryImport(Libraries.Vips)]
    public static partial int vips_tracked_get_allocs();

    [LibraryImport(Libraries.Vips)]
    public static partial nint vips_source_new_from_descriptor(int descriptor);

    [LibraryImport(Libraries.Vips)]
    public static partial nint vips_operation_new(byte* name);

    [LibraryImport(Libraries.Vips)]
    public static partial nint vips_cache_operation_build(nint operation);

    [LibraryImport(Libraries.Vips)]
    public static partial void vips_object_unref_outputs(nint obj);

    [LibraryImport(Libraries.Vips)]
    public static partial int vips_object_get_argument(nint obj, byte* name, nint* pspec, nint* argumentClass, nint* argumentInstance);

    [LibraryImport(Libraries.Vips)]
    public static partial int vips_enum_from_nick(byte* domain, nuint type, byte* nick);

    [LibraryImport(Libraries.Vips)]
    public static partial nint vips_foreign_find_load(byte* filename);

    [LibraryImport(Libraries.Vips)]
    public static partial nint vips_foreign_find_load_buffer(void* data, nuint size);

    [LibraryImport(Libraries.Vips)]
    public static partial nint vips_foreign_find_save_buffer(byte* suffix);

    [LibraryImport(Libraries.Vips)]
    public static partial nuint vips_image_get_type();

    [LibraryImport(Libraries.Vips)]
    public static partial nuint vips_blob_get_type();

    [LibraryImport(Libraries.Vips)]
    public static partial nuint vips_array_double_get_type();

    [LibraryImport(Libraries.Vips)]
    public static partial nuint vips_array_int_get_type();

    [LibraryImport(Libraries.Vips)]
    public static partial nuint vips_array_image_get_type();

    [LibraryImport(Libraries.Vips)]
    public static partial nuint vips_ref_string_get_type();

    [LibraryImport(Libraries.Vips)]
    public static partial int vips_image_get_width(VipsObjectHandle image);

    [LibraryImport(Libraries.Vips)]
    public static partial int vips_image_get_height(VipsObjectHandle image);

    [LibraryImport(Libraries.Vips)]
    public static partial int vips_image_get_bands(VipsObjectHandle image);

    [LibraryImport(Libraries.Vips)]
    public static partial int vips_image_get_format(VipsObjectHandle image);

    [LibraryImport(Libraries.Vips)]
    public static partial int vips_image_get_interpretation(VipsObjectHandle image);

    [LibraryImport(Libraries.Vips)]
    public static partial int vips_image_hasalpha(VipsObjectHandle image);

    [LibraryImport(Libraries.Vips)]
    public static partial int vips_image_get_n_pages(VipsObjectHandle image);

    [LibraryImport(Libraries.Vips)]
    public static partial int vips_image_get_page_height(VipsObjectHandle image);

    [LibraryImport(Libraries.Vips)]
    public static partial nuint vips_image_get_typeof(VipsObjectHandle image, byte* name);

    [LibraryImport(Libraries.Vips)]
    public static partial int vips_image_get_int(VipsObjectHandle image, byte* name, int* output);

    [LibraryImport(Libraries.Vips)]
    public static partial int vips_image_get_double(VipsObjectHandle image, byte* name, double* output);

    [LibraryImport(Libraries.Vips)]
    public static partial int vips_image_get_string(VipsObjectHandle image, byte* name, nint* output);

    [LibraryImport(Libraries.Vips)]
    public static partial int vips_image_get_blob(VipsObjectHandle image, byte* name, void** data, nuint* length);

    [LibraryImport(Libraries.Vips)]
    public static partial int vips_image_remove(VipsObjectHandle image, byte* name);

    [LibraryImport(Libraries.Vips)]
    public static partial nint vips_image_copy_memory(VipsObjectHandle image);

    [LibraryImport(Libraries.Vips)]
    public static partial void* vips_image_get_data(VipsObjectHandle image);

    [LibraryImport(Libraries.Vips)]
    public static partial ulong vips_format_sizeof(int format);

    [LibraryImport(Libraries.Vips)]
    public static partial nint vips_image_new_from_memory_copy(void* data, nuint size, int width, int height, int bands, int format);

    [LibraryImport(Libraries.Vips)]
    public static partial void vips_image_set_kill(VipsObjectHandle image, int kill);

    [LibraryImport(Libraries.Vips)]
    public static partial nint vips_region_new(VipsObjectHandle image);

    [LibraryImport(Libraries.Vips)]
    public static partial byte* vips_region_fetch(VipsObjectHandle region, int left, int top, int width, int height, nuint* length);

    [LibraryImport(Libraries.Vips)]
    public static partial void vips_image_set_blob_copy(VipsObjectHandle image, byte* name, void* data, nuint length);

    [LibraryImport(Libraries.Vips)]
    public static partial void* vips_image_write_to_memory(VipsObjectHandle image, nuint* size);

    [LibraryImport(Libraries.Vips)]
    public static partial nint vips_blob_copy(void* data, nuint length);

    [LibraryImport(Libraries.Vips)]
    public static partial void* vips_blob_get(nint blob, nuint* length);

    [LibraryImport(Libraries.Vips)]
    public static partial void vips_area_unref(nint area);

    [LibraryImport(Libraries.Vips)]
    public static partial void vips_value_set_array_double(GValue* value, double* array, int n);

    [LibraryImport(Libraries.Vips)]
    public static partial void vips_value_set_array_int(GValue* value, int* array, int n);

    [LibraryImport(Libraries.Vips)]
    public static partial void vips_value_set_array_image(GValue* value, int n);

    [LibraryImport(Libraries.Vips)]
    public static partial nint* vips_value_get_array_image(GValue* value, int* n);

    [LibraryImport(Libraries.Vips)]
    public static partial double* vips_value_get_array_double(GValue* value, int* n);

    [LibraryImport(Libraries.Vips)]
    public static partial int* vips_value_get_array_int(GValue* value, int* n);

    [LibraryImport(Libraries.Vips)]
    public static partial void vips_image_set_int(VipsObjectHandle image, byte* name, int value);

    [LibraryImport(Libraries.Vips)]
    public static partial nint vips_nickname_find(nuint type);

    [LibraryImport(Libraries.Vips)]
    public static partial void vips_operation_block_set(byte* name, int state);
}
