using Tessera.Vips.Interop;

namespace Tessera.Vips;

/// <summary>
/// A libvips image: usually a lazy pipeline that is only computed when saved. Owns one reference; dispose it when
/// done (images made from it hold their own references, so disposing an intermediate image is always safe).
/// </summary>
public sealed class VipsImage : IDisposable
{
    private readonly VipsObjectHandle _handle;

    // Set for images whose pixels sit in one block of memory (CopyMemory), which MemoryPixels may then expose.
    private readonly bool _inMemory;

    internal VipsImage(nint pointer, bool inMemory = false)
    {
        _handle = new VipsObjectHandle(pointer);
        _inMemory = inMemory;
    }

    /// <summary>
    /// The reference this image owns, for the native declarations, which take the handle itself: the marshaller holds
    /// it (DangerousAddRef) for the duration of each call, so disposing the image on another thread cannot free the
    /// object under a call, and a call on a disposed image throws <see cref="ObjectDisposedException"/>.
    /// </summary>
    internal VipsObjectHandle Handle => _handle;

    public int Width => VipsNative.vips_image_get_width(_handle);

    public int Height => VipsNative.vips_image_get_height(_handle);

    public int Bands => VipsNative.vips_image_get_bands(_handle);

    public BandFormat Format => (BandFormat)VipsNative.vips_image_get_format(_handle);

    public Interpretation Interpretation => (Interpretation)VipsNative.vips_image_get_interpretation(_handle);

    public bool HasAlpha => VipsNative.vips_image_hasalpha(_handle) != 0;

    /// <summary>Pages in the file the image was loaded from (1 for most images).</summary>
    public int PageCount => VipsNative.vips_image_get_n_pages(_handle);

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

    /// <summary>
    /// Opens a file with the loader named (e.g. <c>tiffload</c>), not the one libvips' sniffing picks: a caller that has
    /// chosen the loader gets that codec's reason when the file is damaged.
    /// </summary>
    /// <exception cref="VipsException">The loader failed on the file's header (or is blocked).</exception>
    public static VipsImage LoadFile(string loader, string path, params ReadOnlySpan<VipsArg> options)
    {
        ArgumentException.ThrowIfNullOrEmpty(loader);
        var args = new VipsArg[options.Length + 1];
        args[0] = new VipsArg("filename", path);
        options.CopyTo(args.AsSpan(1));
        return VipsOperation.Image(loader, args);
    }

    /// <summary>
    /// Opens the file open on <paramref name="file"/> with the source variant of the loader named (<c>tiffload</c> reads
    /// through <c>tiffload_source</c>): libvips reads a duplicate of that descriptor, so what it decodes is the very
    /// file the caller opened and checked, never whatever a path names by then. The caller may close its handle once
    /// this returns; the image keeps its own descriptor as long as it lives. Give each load a handle of its own:
    /// duplicates share the file offset, which libvips moves.
    /// </summary>
    /// <exception cref="VipsException">The loader failed on the file's header (or is blocked).</exception>
    public static VipsImage LoadDescriptor(string loader, Microsoft.Win32.SafeHandles.SafeFileHandle file, params ReadOnlySpan<VipsArg> options)
    {
        ArgumentException.ThrowIfNullOrEmpty(loader);
        ArgumentNullException.ThrowIfNull(file);
        VipsRuntime.Initialize();
        var source = NativeImage.SourceFromDescriptor(file);
        if (source == 0)
        {
            throw new VipsException("libvips could not read from the open file", VipsRuntime.TakeError());
        }

        try
        {
            var args = new VipsArg[options.Length + 1];
            args[0] = new VipsArg("source", new NativeObject(source));
            options.CopyTo(args.AsSpan(1));
            return VipsOperation.Image(loader + "_source", args);
        }
        finally
        {
            // The loaded image holds its own reference to the source for as long as it reads from it.
            GObjectNative.g_object_unref(source);
        }
    }

    /// <summary>The name of the loader libvips would use for <paramref name="path"/> (e.g. <c>jpegload</c>).</summary>
    /// <exception cref="VipsException">The file is not an image libvips (with untrusted loaders blocked) can read.</exception>
    public static string FindLoader(string path)
    {
        VipsRuntime.Initialize();
        return NativeImage.FindLoader(path) ?? throw new VipsException("Not a readable image", VipsRuntime.TakeError());
    }

    /// <summary>Decodes an encoded image held in memory.</summary>
    public static VipsImage NewFromBuffer(byte[] data, params ReadOnlySpan<VipsArg> options)
    {
        VipsRuntime.Initialize();
        var loader = NativeImage.FindLoader(data) ?? throw new VipsException("Not a readable image", VipsRuntime.TakeError());
        var args = new VipsArg[options.Length + 1];
        args[0] = new VipsArg("buffer", data);
        options.CopyTo(args.AsSpan(1));
        return VipsOperation.Image(loader, args);
    }

    /// <summary>An image made from raw interleaved pixels (copied).</summary>
    public static VipsImage FromPixels(ReadOnlySpan<byte> data, int width, int height, int bands, BandFormat format = BandFormat.UChar)
    {
        VipsRuntime.Initialize();
        var image = NativeImage.FromPixels(data, width, height, bands, (int)format);
        return image == 0 ? throw new VipsException("vips_image_new_from_memory_copy failed", VipsRuntime.TakeError()) : new VipsImage(image);
    }

    /// <summary>
    /// Raw interleaved pixels (copied) that stand in for <paramref name="like"/> at another size: same bands, band
    /// format and interpretation, and the header fields later steps read (ICC profile, EXIF orientation).
    /// </summary>
    public static VipsImage FromPixelsLike(ReadOnlySpan<byte> data, int width, int height, VipsImage like)
    {
        using var pixels = FromPixels(data, width, height, like.Bands, like.Format);
        var image = pixels.Call("copy", ("interpretation", (int)like.Interpretation));
        NativeImage.CopyBlob(like.Handle, image.Handle, "icc-profile-data");
        if (like.GetInt("orientation") is { } orientation)
        {
            NativeImage.SetInt(image.Handle, "orientation", orientation);
        }

        return image;
    }

    /// <summary>
    /// Computes the image into <paramref name="destination"/>, which must hold at least Width × Height × Bands
    /// bytes (8-bit images), on the calling thread, <paramref name="strip"/> rows at a time (the first strip
    /// <paramref name="firstStrip"/> rows, so strips can follow a tiled source's tile rows). No libvips worker threads:
    /// for a one-thread-per-request server their hand-offs cost more than they give; each strip is held twice (region
    /// and copy) while it is copied.
    /// </summary>
    /// <exception cref="VipsException">Decoding failed (a corrupt or truncated source).</exception>
    public void WriteTo(Span<byte> destination, int strip = 256, int firstStrip = 0)
    {
        if (Format is not (BandFormat.UChar or BandFormat.Char))
        {
            throw new ArgumentException($"WriteTo takes 8-bit images; this one is {Format}", nameof(destination));
        }

        var needed = (long)Width * Height * Bands;
        if (destination.Length < needed)
        {
            throw new ArgumentException($"The buffer holds {destination.Length} bytes; the image needs {needed}", nameof(destination));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(strip);
        var rowBytes = Width * Bands;
        for (var top = 0; top < Height;)
        {
            var rows = Math.Min(top == 0 && firstStrip > 0 ? firstStrip : strip, Height - top);
            WriteRowsTo(destination[(top * rowBytes)..], top, rows, rowBytes);
            top += rows;
        }
    }

    /// <summary>
    /// Computes rows [<paramref name="top"/>, <paramref name="top"/> + <paramref name="rows"/>) of an 8-bit image into
    /// <paramref name="destination"/>, rows <paramref name="pitch"/> bytes apart, on the calling thread: for a caller
    /// that takes an image a strip at a time, top to bottom (as a sequential source must be read).
    /// </summary>
    /// <exception cref="VipsException">Decoding failed (a corrupt or truncated source).</exception>
    public void WriteRowsTo(Span<byte> destination, int top, int rows, int pitch)
    {
        if (Format is not (BandFormat.UChar or BandFormat.Char))
        {
            throw new ArgumentException($"WriteRowsTo takes 8-bit images; this one is {Format}", nameof(destination));
        }

        var rowBytes = Width * Bands;
        ArgumentOutOfRangeException.ThrowIfNegative(top);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(top + rows, Height, nameof(rows));
        ArgumentOutOfRangeException.ThrowIfLessThan(pitch, rowBytes);
        var needed = ((long)(rows - 1) * pitch) + rowBytes;
        if (destination.Length < needed)
        {
            throw new ArgumentException($"The buffer holds {destination.Length} bytes; {rows} rows {pitch} apart need {needed}", nameof(destination));
        }

        if (!NativeImage.FetchRows(_handle, destination, Width, rowBytes, top, rows, pitch))
        {
            throw new VipsException("vips_region_fetch failed", VipsRuntime.TakeError());
        }
    }

    /// <summary>
    /// Reads rows [0, <paramref name="rows"/>) of an image opened for sequential access and drops them, a few MB at a
    /// time, before a read that starts at row <paramref name="rows"/>. libvips 8.14's sequential cache (JPEG, PNG, TIFF
    /// strips) keeps every row it decodes on its way down to the first row one request asks for: a 100×100 region 15000
    /// rows down a 20000 px wide JPEG held 900 MB until the image was closed. Walked down to it in steps, the cache lets
    /// go of the rows behind and holds a few strips. Any band format.
    /// </summary>
    /// <exception cref="VipsException">Decoding failed (a corrupt or truncated source).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (checked between steps).</exception>
    public void SkipRows(int rows, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rows, Height);
        var rowBytes = (long)Width * Bands * (long)VipsNative.vips_format_sizeof((int)Format);
        var step = (int)Math.Clamp(SkipStepBytes / Math.Max(rowBytes, 1), 1, 256);
        for (var top = 0; top < rows; top += step)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!NativeImage.ComputeRows(_handle, Width, top, Math.Min(step, rows - top)))
            {
                throw new VipsException("vips_region_fetch failed", VipsRuntime.TakeError());
            }
        }
    }

    /// <summary>The most bytes one step of <see cref="SkipRows"/> computes.</summary>
    private const long SkipStepBytes = 4L << 20;

    /// <summary>Computes the image and returns its raw interleaved pixels.</summary>
    public byte[] ToPixels() =>
        NativeImage.ToPixels(_handle) ?? throw new VipsException("vips_image_write_to_memory failed", VipsRuntime.TakeError());

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
    public bool HasField(string name) => NativeImage.HasField(_handle, name);

    /// <summary>An integer header field, or null when absent.</summary>
    public int? GetInt(string name)
    {
        if (!HasField(name))
        {
            return null;
        }

        if (!NativeImage.TryGetInt(_handle, name, out var value))
        {
            VipsRuntime.TakeError();
            return null;
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

        if (!NativeImage.TryGetString(_handle, name, out var value))
        {
            VipsRuntime.TakeError();
            return null;
        }

        return value;
    }

    /// <summary>A copy of a blob header field (e.g. <c>icc-profile-data</c>), or null when absent or not a blob.</summary>
    public byte[]? GetBlob(string name)
    {
        if (!HasField(name))
        {
            return null;
        }

        var value = NativeImage.GetBlob(_handle, name);
        if (value is null)
        {
            VipsRuntime.TakeError();
        }

        return value;
    }

    /// <summary>Another owner of the same image: each holder disposes its own, and the image lives while any does.</summary>
    public VipsImage Share() => new(GObjectNative.g_object_ref(_handle), _inMemory);

    /// <summary>Whether the pixels are held in memory (an image from <see cref="CopyMemory"/>), so <see cref="MemoryPixels"/> can be read.</summary>
    public bool IsInMemory => _inMemory;

    /// <summary>
    /// The pixels of an in-memory image (<see cref="IsInMemory"/>), interleaved, rows Width × Bands × sample size
    /// apart, read in place: valid while this image is not disposed. Nothing past the last pixel may be read.
    /// </summary>
    public ReadOnlySpan<byte> MemoryPixels =>
        _inMemory ? NativeImage.MemoryPixels(_handle) : throw new InvalidOperationException("Only an image copied into memory exposes its pixels");

    /// <summary>Computes the image into memory, so it can be read many times and in any order (sequential sources cannot).</summary>
    public VipsImage CopyMemory()
    {
        var copy = VipsNative.vips_image_copy_memory(_handle);
        return copy == 0 ? throw new VipsException("vips_image_copy_memory failed", VipsRuntime.TakeError()) : new VipsImage(copy, inMemory: true);
    }

    /// <summary>A copy of this image with an integer header field set, e.g. <c>WithInt("orientation", 6)</c>.</summary>
    public VipsImage WithInt(string name, int value)
    {
        // Header fields of a shared image must not change under other users: set them on a fresh copy.
        var copy = Call("copy");
        NativeImage.SetInt(copy.Handle, name, value);
        return copy;
    }

    /// <summary>
    /// A copy of this image whose only metadata is <paramref name="profile"/> as its ICC profile (EXIF, XMP and IPTC
    /// removed), so a saver told not to strip writes the profile and nothing else.
    /// </summary>
    public VipsImage WithProfileOnly(ReadOnlySpan<byte> profile)
    {
        var copy = Call("copy");
        foreach (var field in (ReadOnlySpan<string>)["exif-data", "xmp-data", "iptc-data", "orientation"])
        {
            NativeImage.Remove(copy.Handle, field);
        }

        NativeImage.SetBlob(copy.Handle, "icc-profile-data", profile);
        return copy;
    }

    /// <summary>
    /// 8-bit interleaved sRGB (3 or 4 bands) or grey pixels (copied) as a new image, with an EXIF orientation when given:
    /// what a managed colour transform hands back to libvips.
    /// </summary>
    public static VipsImage FromSrgbPixels(ReadOnlySpan<byte> data, int width, int height, int bands, int? orientation)
    {
        using var pixels = FromPixels(data, width, height, bands);
        var image = pixels.Call("copy", ("interpretation", (int)(bands >= 3 ? Interpretation.Srgb : Interpretation.BW)));
        if (orientation is { } value)
        {
            NativeImage.SetInt(image.Handle, "orientation", value);
        }

        return image;
    }

    /// <summary>A copy of this image without a header field, e.g. <c>Without("icc-profile-data")</c> so that savers write no profile.</summary>
    public VipsImage Without(string name)
    {
        // As for WithInt: change a fresh copy, never an image others may hold.
        var copy = Call("copy");
        NativeImage.Remove(copy.Handle, name);
        return copy;
    }

    /// <summary>
    /// Asks libvips to stop computing this image: from any thread, at any time. libvips 8.14 checks the flag each time a
    /// region of the image is prepared (<c>vips_region_prepare</c>, once per strip or tile a sink or a fetch asks for),
    /// so a save or fetch that reads through this image fails soon after with a "killed for image" error; the first
    /// check that sees the flag clears it. Kill only an image no other computation reads through (not a shared, opened
    /// level): the flag is the image's, not the caller's. A disposed image is left alone.
    /// </summary>
    public void Kill()
    {
        try
        {
            VipsNative.vips_image_set_kill(_handle, 1);
        }
        catch (ObjectDisposedException)
        {
            // The render ended (and freed its images) while it was being stopped: nothing left to stop.
        }
    }

    public void Dispose() => _handle.Dispose();
}
