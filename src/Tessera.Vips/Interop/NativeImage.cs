namespace Tessera.Vips.Interop;

/// <summary>The pointer-level work behind <see cref="VipsImage"/>: loaders, raw pixels, header fields.</summary>
internal static unsafe class NativeImage
{
    /// <summary>
    /// A <c>VipsSource</c> reading the file open on <paramref name="file"/>: libvips duplicates the descriptor (its
    /// reads then share that open file, never a path looked up again) and closes its copy when the source goes. The
    /// caller unrefs the result; 0 when libvips refused.
    /// </summary>
    public static nint SourceFromDescriptor(Microsoft.Win32.SafeHandles.SafeFileHandle file)
    {
        var added = false;
        try
        {
            file.DangerousAddRef(ref added);
            return VipsNative.vips_source_new_from_descriptor((int)file.DangerousGetHandle());
        }
        finally
        {
            if (added)
            {
                file.DangerousRelease();
            }
        }
    }

    /// <summary>The nickname of the loader for a file (<c>jpegload</c>), or null when none recognises it.</summary>
    public static string? FindLoader(string path)
    {
        fixed (byte* p = Utf8.Z(path))
        {
            return Nickname(VipsNative.vips_foreign_find_load(p));
        }
    }

    /// <summary>The nickname of the loader for encoded bytes, or null when none recognises them.</summary>
    public static string? FindLoader(ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            return Nickname(VipsNative.vips_foreign_find_load_buffer(p, (nuint)data.Length));
        }
    }

    /// <summary>The pixel block of an image held in memory (for any other, libvips would compute it all first).</summary>
    public static ReadOnlySpan<byte> MemoryPixels(VipsObjectHandle image)
    {
        var data = VipsNative.vips_image_get_data(image);
        return data == null
            ? throw new VipsException("vips_image_get_data failed", VipsRuntime.TakeError())
            : new ReadOnlySpan<byte>(data, checked((int)((ulong)VipsNative.vips_image_get_width(image) * (ulong)VipsNative.vips_image_get_height(image)
                * (ulong)VipsNative.vips_image_get_bands(image) * VipsNative.vips_format_sizeof(VipsNative.vips_image_get_format(image)))));
    }

    public static nint FromPixels(ReadOnlySpan<byte> data, int width, int height, int bands, int format)
    {
        fixed (byte* p = data)
        {
            return VipsNative.vips_image_new_from_memory_copy(p, (nuint)data.Length, width, height, bands, format);
        }
    }

    /// <summary>Computes rows [<paramref name="top"/>, <paramref name="top"/> + <paramref name="rows"/>) on the calling thread and drops them.</summary>
    public static bool ComputeRows(VipsObjectHandle image, int width, int top, int rows)
    {
        var pixels = Fetch(image, width, top, rows, out _);
        GObjectNative.g_free((nint)pixels);
        return pixels != null;
    }

    /// <summary>
    /// Computes rows [<paramref name="top"/>, <paramref name="top"/> + <paramref name="rows"/>) on the calling thread (a
    /// libvips region, no worker threads and their hand-offs) into <paramref name="destination"/>, rows
    /// <paramref name="pitch"/> bytes apart.
    /// </summary>
    public static bool FetchRows(VipsObjectHandle image, Span<byte> destination, int width, int rowBytes, int top, int rows, int pitch)
    {
        var pixels = Fetch(image, width, top, rows, out var length);
        if (pixels == null)
        {
            return false;
        }

        try
        {
            var fetched = new ReadOnlySpan<byte>(pixels, checked((int)length));
            for (var y = 0; y < rows; y++)
            {
                fetched.Slice(y * rowBytes, rowBytes).CopyTo(destination[(y * pitch)..]);
            }
        }
        finally
        {
            GObjectNative.g_free((nint)pixels);
        }

        return true;
    }

    /// <summary>The rows computed into a new block (the caller <c>g_free</c>s it; the region is gone by then), or null.</summary>
    private static byte* Fetch(VipsObjectHandle image, int width, int top, int rows, out nuint length)
    {
        length = 0;
        var region = VipsNative.vips_region_new(image);
        if (region == 0)
        {
            return null;
        }

        using var handle = new VipsObjectHandle(region);
        nuint fetched;
        var pixels = VipsNative.vips_region_fetch(handle, 0, top, width, rows, &fetched);
        length = fetched;
        return pixels;
    }

    /// <summary>Copies a blob header field (an ICC profile, say) from one image to another; false when absent.</summary>
    public static bool CopyBlob(VipsObjectHandle from, VipsObjectHandle to, string name)
    {
        fixed (byte* n = Utf8.Z(name))
        {
            void* data;
            nuint length;
            if (VipsNative.vips_image_get_typeof(from, n) == 0 || VipsNative.vips_image_get_blob(from, n, &data, &length) != 0)
            {
                return false;
            }

            VipsNative.vips_image_set_blob_copy(to, n, data, length);
            return true;
        }
    }

    /// <summary>A copy of a blob header field (an ICC profile, say), or null when absent or not a blob.</summary>
    public static byte[]? GetBlob(VipsObjectHandle image, string name)
    {
        fixed (byte* n = Utf8.Z(name))
        {
            void* data;
            nuint length;
            if (VipsNative.vips_image_get_typeof(image, n) == 0 || VipsNative.vips_image_get_blob(image, n, &data, &length) != 0)
            {
                return null;
            }

            return data == null ? [] : new ReadOnlySpan<byte>(data, checked((int)length)).ToArray();
        }
    }

    /// <summary>Sets a blob header field (e.g. <c>icc-profile-data</c>) to a copy of <paramref name="data"/>.</summary>
    public static void SetBlob(VipsObjectHandle image, string name, ReadOnlySpan<byte> data)
    {
        fixed (byte* n = Utf8.Z(name))
        fixed (byte* d = data)
        {
            VipsNative.vips_image_set_blob_copy(image, n, d, (nuint)data.Length);
        }
    }

    /// <summary>Computes the image into a fresh managed array, or null when libvips fails.</summary>
    public static byte[]? ToPixels(VipsObjectHandle image)
    {
        nuint size;
        var data = VipsNative.vips_image_write_to_memory(image, &size);
        if (data == null)
        {
            return null;
        }

        try
        {
            return new ReadOnlySpan<byte>(data, checked((int)size)).ToArray();
        }
        finally
        {
            GObjectNative.g_free((nint)data);
        }
    }

    public static bool HasField(VipsObjectHandle image, string name)
    {
        fixed (byte* n = Utf8.Z(name))
        {
            return VipsNative.vips_image_get_typeof(image, n) != 0;
        }
    }

    public static bool TryGetInt(VipsObjectHandle image, string name, out int value)
    {
        int result;
        fixed (byte* n = Utf8.Z(name))
        {
            if (VipsNative.vips_image_get_int(image, n, &result) != 0)
            {
                value = 0;
                return false;
            }
        }

        value = result;
        return true;
    }

    public static bool TryGetString(VipsObjectHandle image, string name, out string? value)
    {
        nint result;
        fixed (byte* n = Utf8.Z(name))
        {
            if (VipsNative.vips_image_get_string(image, n, &result) != 0)
            {
                value = null;
                return false;
            }
        }

        value = Utf8.FromNative(result);
        return true;
    }

    /// <summary>Removes a header field; true when it was there.</summary>
    public static bool Remove(VipsObjectHandle image, string name)
    {
        fixed (byte* n = Utf8.Z(name))
        {
            return VipsNative.vips_image_remove(image, n) != 0;
        }
    }

    public static void SetInt(VipsObjectHandle image, string name, int value)
    {
        fixed (byte* n = Utf8.Z(name))
        {
            VipsNative.vips_image_set_int(image, n, value);
        }
    }

    /// <summary>find_load answers with a class name (VipsForeignLoadJpegFile); callers want the nickname (jpegload).</summary>
    private static string? Nickname(nint className)
    {
        if (className == 0)
        {
            return null;
        }

        var type = GObjectNative.g_type_from_name((byte*)className);
        var nickname = type == 0 ? 0 : VipsNative.vips_nickname_find(type);
        return Utf8.FromNative(nickname == 0 ? className : nickname);
    }
}
