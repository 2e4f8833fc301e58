using Tessera.Vips.Interop;

namespace Tessera.Vips;

/// <summary>
/// A libvips image: usually a lazy pipeline that is only computed when saved. Owns one reference; dispose it when
/// done (images made from it hold their own references, so disposing an intermediate image is always safe).
/// </summary>
public sealed unsafe class VipsImage : IDisposable
{
    private readonly VipsObjectHandle _handle;

    internal VipsImage(nint pointer)
    {
        _handle = new VipsObjectHandle(pointer);
    }

    internal nint Pointer => _handle.IsClosed ? throw new ObjectDisposedException(nameof(VipsImage)) : _handle.DangerousGetHandle();

    public int Width => VipsNative.vips_image_get_width(Pointer);

    public int Height => VipsNative.vips_image_get_height(Pointer);

    public int Bands => VipsNative.vips_image_get_bands(Pointer);

    public BandFormat Format => (BandFormat)VipsNative.vips_image_get_format(Pointer);

    public Interpretation Interpretation => (Interpretation)VipsNative.vips_image_get_interpretation(Pointer);

    public bool HasAlpha => VipsNative.vips_image_hasalpha(Pointer) != 0;

    /// <summary>Pages in the file the image was loaded from (1 for most images).</summary>
    public int PageCount => VipsNative.vips_image_get_n_pages(Pointer);

    /// <summary>Opens a file with the loader libvips picks from its content, e.g. <c>("page", 2)</c> or <c>("shrink", 4)</c>.</summary>
    /// <exception cref="VipsException">No loader recognises the file, or the loader failed on its header.</exception>
    public static VipsImage NewFromFile(string path, params ReadOnlySpan<VipsArg> options)
    {
        var loader = FindLoader(path);
        var args = new VipsArg[options.Length + 1];
        args[0] = new VipsArg("filename", path);
        options.CopyTo(args.AsSpan(1));
        return VipsOperation.Image(loader, args);
    }

    /// <summary>The name of the loader libvips would use for <paramref name="path"/> (e.g. <c>jpegload</c>).</summary>
    /// <exception cref="VipsException">The file is not an image libvips (with untrusted loaders blocked) can read.</exception>
    public static string FindLoader(string path)
    {
        VipsRuntime.Initialize();
        nint name;
        fixed (byte* p = Utf8.Z(path))
        {
            name = VipsNative.vips_foreign_find_load(p);
        }

        if (name == 0)
        {
            throw new VipsException("Not a readable image", VipsRuntime.TakeError());
        }

        return Nickname(name);
    }

    /// <summary>find_load answers with a class name (VipsForeignLoadJpegFile); callers want the nickname (jpegload).</summary>
    private static string Nickname(nint className)
    {
        var type = GObjectNative.g_type_from_name((byte*)className);
        var nickname = type == 0 ? 0 : VipsNative.vips_nickname_find(type);
        return Utf8.FromNative(nickname == 0 ? className : nickname)!;
    }

    /// <summary>Decodes an encoded image held in memory.</summary>
    public static VipsImage NewFromBuffer(byte[] data, params ReadOnlySpan<VipsArg> options)
    {
        VipsRuntime.Initialize();
        nint name;
        fixed (byte* p = data)
        {
            name = VipsNative.vips_foreign_find_load_buffer(p, (nuint)data.Length);
        }

        if (name == 0)
        {
            throw new VipsException("Not a readable image", VipsRuntime.TakeError());
        }

        var args = new VipsArg[options.Length + 1];
        args[0] = new VipsArg("buffer", data);
        options.CopyTo(args.AsSpan(1));
        return VipsOperation.Image(Nickname(name), args);
    }

    /// <summary>An image made from raw interleaved pixels (copied).</summary>
    public static VipsImage FromPixels(ReadOnlySpan<byte> data, int width, int height, int bands, BandFormat format = BandFormat.UChar)
    {
        VipsRuntime.Initialize();
        nint image;
        fixed (byte* p = data)
        {
            image = VipsNative.vips_image_new_from_memory_copy(p, (nuint)data.Length, width, height, bands, (int)format);
        }

        return image == 0 ? throw new VipsException("vips_image_new_from_memory_copy failed", VipsRuntime.TakeError()) : new VipsImage(image);
    }

    /// <summary>Computes the image and returns its raw interleaved pixels.</summary>
    public byte[] ToPixels()
    {
        nuint size;
        var data = VipsNative.vips_image_write_to_memory(Pointer, &size);
        if (data == null)
        {
            throw new VipsException("vips_image_write_to_memory failed", VipsRuntime.TakeError());
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

    /// <summary>Runs an operation whose <c>in</c> is this image and returns its <c>out</c>.</summary>
    public VipsImage Call(string operation, params ReadOnlySpan<VipsArg> options)
    {
        var args = new VipsArg[options.Length + 1];
        args[0] = new VipsArg("in", this);
        options.CopyTo(args.AsSpan(1));
        return VipsOperation.Image(operation, args);
    }

    /// <summary>Encodes with a <c>*save_buffer</c> operation, e.g. <c>SaveToBuffer("jpegsave_buffer", ("Q", 90))</c>.</summary>
    public byte[] SaveToBuffer(string saver, params ReadOnlySpan<VipsArg> options)
    {
        var args = new VipsArg[options.Length + 1];
        args[0] = new VipsArg("in", this);
        options.CopyTo(args.AsSpan(1));
        return (byte[])VipsOperation.Run(saver, args, ["buffer"])[0]!;
    }

    /// <summary>Writes to a file with a <c>*save</c> operation, e.g. <c>SaveToFile("tiffsave", path, ("tile", true))</c>.</summary>
    public void SaveToFile(string saver, string path, params ReadOnlySpan<VipsArg> options)
    {
        var args = new VipsArg[options.Length + 2];
        args[0] = new VipsArg("in", this);
        args[1] = new VipsArg("filename", path);
        options.CopyTo(args.AsSpan(2));
        VipsOperation.Run(saver, args, []);
    }

    // extract_area names its image "input", not "in".
    public VipsImage ExtractArea(int left, int top, int width, int height) =>
        VipsOperation.Image("extract_area", ("input", this), ("left", left), ("top", top), ("width", width), ("height", height));

    public VipsImage Resize(double hscale, double vscale, string kernel = "lanczos3") =>
        Call("resize", ("scale", hscale), ("vscale", vscale), ("kernel", kernel));

    public VipsImage FlipHorizontal() => Call("flip", ("direction", "horizontal"));

    /// <summary>Rotates by a multiple of 90° without resampling; <paramref name="angle"/> is d0, d90, d180 or d270.</summary>
    public VipsImage Rot(string angle) => Call("rot", ("angle", angle));

    public VipsImage Colourspace(string space) => Call("colourspace", ("space", space));

    public VipsImage Cast(BandFormat format) => Call("cast", ("format", (int)format));

    public VipsImage ExtractBand(int band, int count = 1) => Call("extract_band", ("band", band), ("n", count));

    /// <summary>The pixel at (x, y), one value per band.</summary>
    public double[] GetPoint(int x, int y) =>
        (double[])VipsOperation.Run("getpoint", [new("in", this), new("x", x), new("y", y)], ["out_array"])[0]!;

    /// <summary>Mean of all pixels of all bands.</summary>
    public double Average() => (double)VipsOperation.Run("avg", [new("in", this)], ["out"])[0]!;

    /// <summary>Whether the header has a field (e.g. <c>orientation</c>, <c>icc-profile-data</c>).</summary>
    public bool HasField(string name)
    {
        fixed (byte* n = Utf8.Z(name))
        {
            return VipsNative.vips_image_get_typeof(Pointer, n) != 0;
        }
    }

    /// <summary>An integer header field, or null when absent.</summary>
    public int? GetInt(string name)
    {
        if (!HasField(name))
        {
            return null;
        }

        int value;
        fixed (byte* n = Utf8.Z(name))
        {
            if (VipsNative.vips_image_get_int(Pointer, n, &value) != 0)
            {
                VipsRuntime.TakeError();
                return null;
            }
        }

        return value;
    }

    /// <summary>A string header field, or null when absent.</summary>
    public string? GetString(string name)
    {
        if (!HasField(name))
        {
            return null;
        }

        nint value;
        fixed (byte* n = Utf8.Z(name))
        {
            if (VipsNative.vips_image_get_string(Pointer, n, &value) != 0)
            {
                VipsRuntime.TakeError();
                return null;
            }
        }

        return Utf8.FromNative(value);
    }

    /// <summary>Another owner of the same image: each holder disposes its own, and the image lives while any does.</summary>
    public VipsImage Share() => new(GObjectNative.g_object_ref(Pointer));

    /// <summary>Computes the image into memory, so it can be read many times and in any order (sequential sources cannot).</summary>
    public VipsImage CopyMemory()
    {
        var copy = VipsNative.vips_image_copy_memory(Pointer);
        return copy == 0 ? throw new VipsException("vips_image_copy_memory failed", VipsRuntime.TakeError()) : new VipsImage(copy);
    }

    /// <summary>A copy of this image with an integer header field set, e.g. <c>WithInt("orientation", 6)</c>.</summary>
    public VipsImage WithInt(string name, int value)
    {
        // Header fields of a shared image must not change under other users: set them on a fresh copy.
        var copy = Call("copy");
        fixed (byte* n = Utf8.Z(name))
        {
            VipsNative.vips_image_set_int(copy.Pointer, n, value);
        }

        return copy;
    }

    public void Dispose() => _handle.Dispose();
}
