using System.Runtime.InteropServices;
using Tessera.Vips.Interop;

namespace Tessera.Vips;

/// <summary>
/// A JPEG 2000 file read with OpenJPEG directly (Debian's <c>libopenjp2-7</c>, the library libvips' <c>jp2kload</c>
/// wraps): each call decodes exactly one window of one resolution level, as iipsrv and Cantaloupe do. libvips keeps one
/// OpenJPEG codec per opened level and computes its tiles under one lock, so every request for that level waits on one
/// decode at a time; here each call has its own codec (the header costs about 0.15 ms to read again, a 512 px tile
/// about 13 ms to decode), so decodes run on every core at once. Same library, same pixels.
/// <para>
/// Thread-safe: the decoder holds only the facts of the file; any number of threads may decode at once (at most
/// <see cref="MaxConcurrentDecodes"/>; the rest wait). Each decode checks that the file still has the header it had
/// when opened.
/// </para>
/// <para>
/// Refused (see <see cref="TryOpen"/>), for the caller to read through libvips instead: components that are
/// subsampled (YCbCr 4:2:0 and the like), signed, of different precisions or sizes, or more than 32 bits deep; sYCC,
/// e-YCC and CMYK colour spaces; more than 4 components; an image origin other than 0,0. An embedded ICC profile is not
/// applied: it is given as <see cref="IccProfile"/>, as libvips gives it, for the caller to colour-manage.
/// </para>
/// </summary>
public sealed class Jpeg2000Decoder
{
    private static readonly Lazy<bool> Loadable = new(() =>
    {
        if (!NativeLibrary.TryLoad(OpenJpegNative.Library, out var library))
        {
            return false;
        }

        // opj_decoder_set_strict_mode, which keeps a truncated file from decoding as a partial image, came in 2.5.0.
        var strict = NativeLibrary.TryGetExport(library, "opj_decoder_set_strict_mode", out _);
        NativeLibrary.Free(library);
        return strict;
    });

    private readonly int _threads;

    private readonly FileStatus? _expected;

    private Jpeg2000Decoder(string path, int threads, FileStatus? expected)
    {
        Path = path;
        _threads = threads;
        _expected = expected;
    }

    /// <summary>Whether OpenJPEG 2.5 or later is installed (when not, callers keep to libvips' <c>jp2kload</c>).</summary>
    public static bool IsAvailable => Loadable.Value;

    /// <summary>
    /// Decodes running at once in this process, at most: twice the cores. A decode is CPU-bound and holds its window
    /// (4 bytes a sample) and tile buffers; more at once would only add memory, not speed.
    /// </summary>
    public static int MaxConcurrentDecodes { get; } = Math.Max(2, Environment.ProcessorCount * 2);

    // After MaxConcurrentDecodes: static initialisers run in the order written.
    private static readonly SemaphoreSlim Decodes = new(MaxConcurrentDecodes, MaxConcurrentDecodes);

    public string Path { get; }

    /// <summary>Full-resolution width in pixels.</summary>
    public int Width { get; private set; }

    /// <summary>Full-resolution height in pixels.</summary>
    public int Height { get; private set; }

    /// <summary>Components, and so bands of the decoded pixels: 1 grey, 2 grey and alpha, 3 RGB, 4 RGBA.</summary>
    public int Bands { get; private set; }

    /// <summary>Bits per sample as stored (1–32); decoded pixels are always 8-bit.</summary>
    public int Precision { get; private set; }

    /// <summary>Resolution levels: decomposition levels + 1. Reductions 0 to Resolutions − 1 can be decoded.</summary>
    public int Resolutions { get; private set; }

    /// <summary>Width of the codestream's tiles at full resolution (the image width when it is one tile).</summary>
    public int TileWidth { get; private set; }

    /// <summary>Height of the codestream's tiles at full resolution.</summary>
    public int TileHeight { get; private set; }

    /// <summary>The ICC profile of the JP2 header's colour box, or null when it declares plain sRGB or grey.</summary>
    public byte[]? IccProfile { get; private set; }

    /// <summary>
    /// Opens <paramref name="path"/> and reads its header (OpenJPEG's codec threads per decode: <paramref name="threads"/>;
    /// 1 for a server, where requests already fill the cores).
    /// </summary>
    /// <exception cref="Jpeg2000Exception">The file is damaged, not JPEG 2000, or of a kind this decoder refuses (the message says which).</exception>
    public static Jpeg2000Decoder Open(string path, int threads = 1) =>
        TryOpen(path, out var decoder, out var refusal, threads)
            ? decoder!
            : throw new Jpeg2000Exception($"{path} is JPEG 2000 of a kind left to libvips: {refusal}");

    /// <summary>
    /// Opens <paramref name="path"/>; false, with the reason, for a JPEG 2000 file this decoder does not handle (see the
    /// class summary), which libvips can still read.
    /// </summary>
    /// <exception cref="Jpeg2000Exception">The file is damaged or not JPEG 2000.</exception>
    /// <param name="path">The file.</param>
    /// <param name="decoder">The decoder, or null.</param>
    /// <param name="refusal">Why this decoder does not handle the file, or null.</param>
    /// <param name="threads">OpenJPEG's decoding threads.</param>
    /// <param name="expected">
    /// When given, the version of the file the caller checked: every open (this one and each decode's) reads the file
    /// only when the open file is that version, and reads that open file, never whatever the path names by then.
    /// </param>
    public static bool TryOpen(string path, out Jpeg2000Decoder? decoder, out string? refusal, int threads = 1, FileStatus? expected = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        if (!IsAvailable)
        {
            throw new Jpeg2000Exception($"{OpenJpegNative.Library} (OpenJPEG 2.5 or later) is not installed (apt-get install -y libopenjp2-7)");
        }

        decoder = null;
        var opened = new Jpeg2000Decoder(path, threads, expected);
        using (var session = OpenJpegSession.Open(path, threads, expected))
        {
            refusal = opened.ReadFacts(session);
        }

        if (refusal is not null)
        {
            return false;
        }

        decoder = opened;
        return true;
    }

    /// <summary>Width of the level at 1 / 2^<paramref name="reduction"/>: ⌈Width / 2^reduction⌉, as OpenJPEG rounds.</summary>
    public int LevelWidth(int reduction) => Reduce(Width, CheckReduction(reduction));

    /// <summary>Height of the level at 1 / 2^<paramref name="reduction"/>: ⌈Height / 2^reduction⌉.</summary>
    public int LevelHeight(int reduction) => Reduce(Height, CheckReduction(reduction));

    /// <summary>
    /// Decodes the window (<paramref name="x"/>, <paramref name="y"/>, <paramref name="width"/> × <paramref name="height"/>)
    /// of the level at 1 / 2^<paramref name="reduction"/>, in that level's pixel coordinates (the window must lie inside
    /// <see cref="LevelWidth"/> × <see cref="LevelHeight"/>), into <paramref name="destination"/> as 8-bit interleaved
    /// pixels of <see cref="Bands"/> bands, rows <paramref name="pitch"/> bytes apart (0: packed). Only the code-blocks
    /// the window needs are decoded. The pixels are those libvips' <c>jp2kload</c> gives for the same window of its
    /// <c>page</c> <paramref name="reduction"/>, brought to 8 bits as libvips brings 16-bit to 8.
    /// </summary>
    /// <exception cref="Jpeg2000Exception">The file is damaged, truncated, or no longer the file opened.</exception>
    public void DecodeLevel(int reduction, int x, int y, int width, int height, Span<byte> destination, int pitch = 0)
    {
        CheckReduction(reduction);
        int levelWidth = LevelWidth(reduction), levelHeight = LevelHeight(reduction);
        if (x < 0 || y < 0 || width <= 0 || height <= 0 || x > levelWidth - width || y > levelHeight - height)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"Expected a window inside the {levelWidth}x{levelHeight} level at reduction {reduction} but received {x},{y},{width},{height}");
        }

        pitch = pitch == 0 ? width * Bands : pitch;
        if (pitch < width * Bands)
        {
            throw new ArgumentException($"Expected a pitch of at least {width * Bands} bytes for rows of {width} pixels but received {pitch}", nameof(pitch));
        }

        var needed = ((long)(height - 1) * pitch) + ((long)width * Bands);
        if (destination.Length < needed)
        {
            throw new ArgumentException($"Expected at least {needed} bytes for {width}x{height} with pitch {pitch} but the destination holds {destination.Length}", nameof(destination));
        }

        // OpenJPEG holds the decoded window as 4-byte samples (a 6000 px wide level, 512 rows: 37 MB), so a tall window
        // is decoded in strips of whole tile rows, each a session of its own; samples do not depend on the window asked
        // for (the tests check this), and strips on tile-row boundaries decode no code-block twice.
        var rowSamples = (long)width * Bands;
        var levelTileHeight = Math.Max(1, Reduce(TileHeight, reduction));
        var rowsPerStrip = (int)Math.Min(height, Math.Max(1, StripSamples / (rowSamples * levelTileHeight)) * levelTileHeight);
        for (var top = y; top < y + height;)
        {
            // Down to the last tile-row boundary at or before top + rowsPerStrip (boundaries are at ⌈k·TileHeight/s⌉ in the level).
            var boundary = top + rowsPerStrip;
            var tileRow = (int)Math.Min(((long)boundary << reduction) / TileHeight, int.MaxValue);
            var aligned = Reduce((int)Math.Min((long)tileRow * TileHeight, Height), reduction);
            var bottom = Math.Min(y + height, aligned > top ? aligned : boundary);
            DecodeStrip(reduction, x, top, width, bottom - top, destination[(int)((long)(top - y) * pitch)..], pitch);
            top = bottom;
        }
    }

    /// <summary>Most samples (pixels × bands) one OpenJPEG decode may hold at once, but always at least one tile row.</summary>
    internal long StripSamples { get; set; } = 8L << 20;

    private void DecodeStrip(int reduction, int x, int y, int width, int height, Span<byte> destination, int pitch)
    {
        // The level window in full-resolution coordinates: OpenJPEG maps [x0, x1) to [⌈x0/s⌉, ⌈x1/s⌉), so x·s maps to x
        // exactly and the right edge is clamped to the image (⌈Width/s⌉ is the level's last column + 1).
        var scale = 1 << reduction;
        int x0 = x * scale, y0 = y * scale;
        var x1 = (int)Math.Min((long)(x + width) * scale, Width);
        var y1 = (int)Math.Min((long)(y + height) * scale, Height);

        Decodes.Wait();
        try
        {
            using var session = OpenJpegSession.Open(Path, _threads, _expected);
            if (ReadFacts(session, verifyOnly: true) is { } changed)
            {
                throw new Jpeg2000Exception($"{Path} changed since it was opened: {changed}");
            }

            session.Decode(reduction, x0, y0, x1, y1);
            session.CheckDecoded(width, height);
            session.CopyTo(destination, pitch);
        }
        finally
        {
            Decodes.Release();
        }
    }

    /// <summary>
    /// As <see cref="DecodeLevel"/> for a region given in full-resolution pixels: the level window is
    /// [⌈x/s⌉, ⌈(x + width)/s⌉) × [⌈y/s⌉, ⌈(y + height)/s⌉) with s = 2^<paramref name="reduction"/> (OpenJPEG's own
    /// mapping); <see cref="ReducedRegion"/> gives its size, which <paramref name="destination"/> must hold.
    /// </summary>
    public void DecodeRegion(int reduction, int x, int y, int width, int height, Span<byte> destination, int pitch = 0)
    {
        var (levelX, levelY, levelWidth, levelHeight) = ReducedRegion(reduction, x, y, width, height);
        DecodeLevel(reduction, levelX, levelY, levelWidth, levelHeight, destination, pitch);
    }

    /// <summary>The level window that the full-resolution region (x, y, width × height) becomes at <paramref name="reduction"/>.</summary>
    public (int X, int Y, int Width, int Height) ReducedRegion(int reduction, int x, int y, int width, int height)
    {
        CheckReduction(reduction);
        if (x < 0 || y < 0 || width <= 0 || height <= 0 || x > Width - width || y > Height - height)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"Expected a region inside {Width}x{Height} but received {x},{y},{width},{height}");
        }

        // A region that falls between two level pixels (narrower than 2^reduction) takes the one it touches.
        var left = Math.Min(Reduce(x, reduction), LevelWidth(reduction) - 1);
        var top = Math.Min(Reduce(y, reduction), LevelHeight(reduction) - 1);
        var right = Math.Max(left + 1, Reduce(x + width, reduction));
        var bottom = Math.Max(top + 1, Reduce(y + height, reduction));
        return (left, top, right - left, bottom - top);
    }

    /// <summary>
    /// <see cref="DecodeLevel"/> into a new in-memory libvips image (8-bit, <c>b-w</c> or <c>srgb</c>, carrying
    /// <see cref="IccProfile"/> as <c>icc-profile-data</c> like a <c>jp2kload</c> image), for a renderer's next steps.
    /// </summary>
    public VipsImage DecodeLevelToImage(int reduction, int x, int y, int width, int height)
    {
        using var buffer = new NativeBuffer(checked(width * height * Bands));
        DecodeLevel(reduction, x, y, width, height, buffer.Span);
        using var pixels = VipsImage.FromPixels(buffer.Span, width, height, Bands);
        var image = pixels.Call("copy", ("interpretation", (int)(Bands >= 3 ? Interpretation.Srgb : Interpretation.BW)));
        if (IccProfile is { } profile)
        {
            NativeImage.SetBlob(image.Handle, "icc-profile-data", profile);
        }

        return image;
    }

    private int CheckReduction(int reduction)
    {
        if (reduction < 0 || reduction >= Resolutions)
        {
            throw new ArgumentOutOfRangeException(nameof(reduction), $"Expected a reduction of 0..{Resolutions - 1} but received {reduction}");
        }

        return reduction;
    }

    private static int Reduce(int value, int reduction) => (int)(((long)value + (1L << reduction) - 1) >> reduction);

    /// <summary>Reads (or, with <paramref name="verifyOnly"/>, compares) the header's facts; returns why the file is refused, or null.</summary>
    private string? ReadFacts(OpenJpegSession session, bool verifyOnly = false)
    {
        var header = session.Header;
        var components = header.Components;
        if (components.Count is 0 or > 4)
        {
            return $"{components.Count} components (1 to 4 are decoded here)";
        }

        if (header.X0 != 0 || header.Y0 != 0)
        {
            return $"image origin at {header.X0},{header.Y0}, not 0,0";
        }

        var first = components[0];
        for (var i = 0; i < components.Count; i++)
        {
            var component = components[i];
            if (component.Dx != 1 || component.Dy != 1)
            {
                return $"component {i} is subsampled {component.Dx}x{component.Dy}";
            }

            if (component.Signed)
            {
                return $"component {i} is signed";
            }

            if (component.Precision != first.Precision || component.Precision is < 1 or > 32)
            {
                return $"component {i} has {component.Precision} bits, component 0 {first.Precision}";
            }
        }

        if (header.ColourSpace is not (OpenJpegNative.ColourSrgb or OpenJpegNative.ColourGrey or OpenJpegNative.ColourUnspecified))
        {
            return $"colour space {ColourName(header.ColourSpace)} (sRGB, grey or unspecified are decoded here)";
        }

        if (header.Resolutions < 1)
        {
            return "the codestream does not say how many resolution levels it has";
        }

        if (verifyOnly)
        {
            return header.Width != Width || header.Height != Height || components.Count != Bands || first.Precision != Precision || header.Resolutions != Resolutions
                ? $"now {header.Width}x{header.Height}, {components.Count} components of {first.Precision} bits, {header.Resolutions} resolutions"
                : null;
        }

        var oneTile = header.TilesAcross <= 1 && header.TilesDown <= 1;
        Width = header.Width;
        Height = header.Height;
        Bands = components.Count;
        Precision = first.Precision;
        Resolutions = header.Resolutions;
        TileWidth = oneTile ? header.Width : header.TileWidth;
        TileHeight = oneTile ? header.Height : header.TileHeight;
        IccProfile = header.IccProfile;
        return null;
    }

    private static string ColourName(int space) => space switch
    {
        OpenJpegNative.ColourSycc => "sYCC",
        OpenJpegNative.ColourEycc => "e-YCC",
        OpenJpegNative.ColourCmyk => "CMYK",
        OpenJpegNative.ColourUnknown => "unknown",
        _ => space.ToString(),
    };
}
