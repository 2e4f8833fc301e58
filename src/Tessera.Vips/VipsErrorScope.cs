namespace Tessera.Vips;

/// <summary>
/// Says, for the calls this thread makes into libvips until it is disposed, which file they read and which kind of
/// loader reads it, so that a failure is told only the native error text that belongs to it.
/// </summary>
/// <remarks>
/// libvips 8.14 keeps one error buffer for the whole process (<c>libvips/iofuncs/error.c</c>: a static
/// <c>vips_error_text</c>, appended to under <c>vips__global_lock</c>, no per-thread buffer), so two requests failing
/// at once saw each other's text. Every failing call now takes the buffer through one journal
/// (<see cref="VipsRuntime"/>): under one lock its lines are moved out of libvips (read and clear together, so no line
/// is lost or read twice), each with the scopes open at that moment. A failing call takes its text before it returns,
/// so its lines are always moved while its scope is open, and a line can only be one of those scopes'. A failure gets
/// a line when it names the scope's file, or when, of the scopes open when it was moved, only this one's loader family
/// (<c>VipsJpeg:</c>, <c>vipspng:</c>, libtiff's words, ...) fits it. Otherwise the line could be another's: the failure
/// gets no native text and the caller says what kind of thing failed, never another request's reason. Lines nobody
/// can claim are dropped after a few seconds. Scopes nest: the innermost on a thread counts. Not covered: a libvips
/// call that leaves text in the buffer and still reports success (libvips does not do this on the paths Tessera uses).
/// </remarks>
public sealed class VipsErrorScope : IDisposable
{
    [ThreadStatic]
    private static VipsErrorScope? t_current;

    private readonly VipsErrorScope? _outer;
    private bool _disposed;

    private VipsErrorScope(string file, string family)
    {
        File = file;
        FileName = Path.GetFileName(file);
        Family = family;
        _outer = t_current;
        t_current = this;
        VipsRuntime.Register(this);
    }

    /// <summary>The file the calls read (full path; as libvips and libtiff put it in their messages).</summary>
    public string File { get; }

    /// <summary>The file's last path component, which some messages quote instead.</summary>
    internal string FileName { get; }

    /// <summary>The loader family (<see cref="FamilyOf"/>), or empty when not known yet.</summary>
    public string Family { get; }

    /// <summary>The innermost scope open on this thread, or null.</summary>
    internal static VipsErrorScope? Current => t_current;

    /// <summary>Opens a scope on this thread for calls that read <paramref name="file"/> with a loader of <paramref name="loader"/>'s family.</summary>
    /// <param name="file">The file read, as passed to libvips.</param>
    /// <param name="loader">A loader nickname (<c>jpegload</c>) or a family (<c>jpeg</c>); null or empty when not known.</param>
    public static VipsErrorScope Begin(string file, string? loader = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        return new VipsErrorScope(file, FamilyOf(loader));
    }

    /// <summary>
    /// The family of a loader nickname or of a libvips/libtiff error domain: <c>jpeg</c>, <c>tiff</c>, <c>png</c>,
    /// <c>jp2k</c>, <c>webp</c>, <c>gif</c>, <c>heif</c>, <c>jxl</c>, <c>pdf</c>, <c>openslide</c>, or empty for the loader-neutral ones (<c>VipsForeignLoad</c>,
    /// <c>VipsImage</c>, <c>unix error</c>, ...).
    /// </summary>
    public static string FamilyOf(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return string.Empty;
        }

        // libtiff reports by function ("TIFFReadDirectory", "_TIFFVSetField") or by codec ("JPEGLib", "LZWDecode").
        if (name.StartsWith("TIFF", StringComparison.Ordinal) || name.StartsWith("_TIFF", StringComparison.Ordinal) || name.Contains("tiff", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith("Decode", StringComparison.Ordinal) || name.EndsWith("PreDecode", StringComparison.Ordinal) || name is "JPEGLib" or "OJPEGLib" or "OJPEG")
        {
            return "tiff";
        }

        // PDF, JPEG XL and OpenSlide have families of their own: a scope without one fits every line, so one long
        // PDF render would leave every other failure at that moment without its reason.
        foreach (var family in (ReadOnlySpan<string>)["jpeg", "png", "jp2k", "webp", "gif", "heif", "jxl", "pdf", "openslide"])
        {
            if (name.Contains(family, StringComparison.OrdinalIgnoreCase))
            {
                return family;
            }
        }

        return string.Equals(name, "jp2", StringComparison.OrdinalIgnoreCase) || name.Contains("openjpeg", StringComparison.OrdinalIgnoreCase) ? "jp2k" : string.Empty;
    }

    /// <summary>
    /// The family of a line of libvips' error buffer: by its domain (what comes before the first ": "), else by its
    /// words (libtiff reports under many function names, "MissingRequired", "TIFFFetchNormalTag", but speaks of TIFF).
    /// </summary>
    internal static string FamilyOfLine(string line)
    {
        var colon = line.IndexOf(": ", StringComparison.Ordinal);
        var family = FamilyOf(colon < 0 ? string.Empty : line[..colon]);
        return family.Length > 0 ? family : line.Contains("TIFF", StringComparison.Ordinal) ? "tiff" : string.Empty;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        VipsRuntime.Unregister(this);
        if (t_current == this)
        {
            t_current = _outer;
        }
    }
}
