using System.Globalization;
using Tessera.Core.Planning;
using Tessera.Imaging.Rendering;

namespace Tessera.Imaging.Sources;

/// <summary>
/// What a source may cost to decode, judged from its header (<see cref="HeaderProbe"/>) before any decoder runs: the
/// defence against decompression bombs (a few hundred bytes that declare 65000×65000 and make libjpeg allocate
/// gigabytes). <see cref="MaxSourcePixels"/> and <see cref="MaxDecodeMegabytes"/> are facts of the source and refuse
/// it whole (info.json too); <see cref="MaxStreamedPixels"/> is judged per request. A refusal is HTTP 413.
/// </summary>
/// <remarks>
/// The defaults keep two renders at once inside a 1 GB machine (two whole decodes of 256 MiB and the server's own
/// ~150 MB) and still serve what the project serves: pyramids of 100000×100000 (10 Gpx), and regions anywhere in a
/// 20000×20000 baseline JPEG or strip TIFF (400 Mpx streamed). A pyramid made by <c>tessera convert</c> is served a
/// tile at a time and meets none of them.
/// </remarks>
public sealed record SourceLimits
{
    /// <summary>The server's defaults.</summary>
    public static SourceLimits Default { get; } = new();

    /// <summary>
    /// The defaults of <c>tessera convert</c>, whose job is to stream big masters once on a machine chosen for it:
    /// whole decodes up to 2 GiB (a 20000×20000 progressive JPEG needs 1.2 GB), no per-request bound.
    /// </summary>
    public static SourceLimits Convert { get; } = new() { MaxDecodeMegabytes = 2048, MaxStreamedPixels = long.MaxValue };

    /// <summary>The most pixels a source may declare (width × height of its full resolution). Default 16 Gpx.</summary>
    public long MaxSourcePixels { get; init; } = 16_000_000_000;

    /// <summary>
    /// The most memory, in MiB, the decoder may need at once by the header's account: the whole image for a source
    /// decoded whole (progressive JPEG: 2 bytes a DCT sample; interlaced PNG, GIF, WebP, HEIF/AVIF, a TIFF in one compressed strip,
    /// an untiled JPEG 2000), one strip or tile otherwise. Default 256.
    /// </summary>
    public int MaxDecodeMegabytes { get; init; } = 256;

    /// <summary>
    /// The most pixels one request may make a sequential decoder produce (baseline JPEG, PNG, TIFF in strips, ...): every
    /// row down to the bottom of the region, at the width of the level read (after JPEG shrink-on-load). Default 512 Mpx.
    /// </summary>
    public long MaxStreamedPixels { get; init; } = 512_000_000;

    /// <summary>
    /// The resolution PDF pages are rendered at, in dots per inch: it makes a page's pixel size (an A4 page at 150 is
    /// 1240×1754), which the limits above judge before poppler renders anything. Default 150; 72 is one pixel a point.
    /// </summary>
    public double PdfDpi { get; init; } = 150;

    /// <summary>Every problem with these limits (empty when they are valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxSourcePixels < 1)
        {
            errors.Add($"Expected a positive integer for MaxSourcePixels but received {MaxSourcePixels}");
        }

        if (MaxDecodeMegabytes < 1)
        {
            errors.Add($"Expected a positive integer for MaxDecodeMegabytes but received {MaxDecodeMegabytes}");
        }

        if (MaxStreamedPixels < 1)
        {
            errors.Add($"Expected a positive integer for MaxStreamedPixels but received {MaxStreamedPixels}");
        }

        if (!(PdfDpi is >= 1 and <= 2400))
        {
            errors.Add($"Expected 1..2400 for PdfDpi but received {PdfDpi.ToString(CultureInfo.InvariantCulture)}");
        }

        return errors;
    }

    /// <summary>
    /// Why the source whose header this is may not be decoded at all, or null when it may: the sentence names the limit,
    /// its value and the setting (and command-line flag) that raises it.
    /// </summary>
    public string? Refuse(SourceHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (header.Pixels > MaxSourcePixels)
        {
            return $"it is a {header.Format} that declares {header.Width}×{header.Height} = {Count(header.Pixels)}, over the limit of "
                + $"{Count(MaxSourcePixels)} (MaxSourcePixels, --max-source-pixels)";
        }

        if (header.DecodeUnitBytes > (long)MaxDecodeMegabytes << 20)
        {
            var unit = header.Decoding switch
            {
                SourceDecoding.Whole => "which is decoded whole",
                SourceDecoding.Tiled => "whose tiles are each decoded whole",
                _ => "whose strips are each decoded whole",
            };
            return $"it is a {header.Format} of {header.Width}×{header.Height} pixels, {unit}: that needs about {Mebibytes(header.DecodeUnitBytes)} MiB "
                + $"of memory, over the limit of {MaxDecodeMegabytes} MiB (MaxDecodeMegabytes, --max-decode-megabytes)";
        }

        return null;
    }

    /// <summary>
    /// Why <paramref name="plan"/> is refused for what it would make a sequential decoder produce, or null when it is
    /// not or the level is read in any order (tiled TIFF, JPEG 2000): every stored row down to the bottom of the
    /// region, at the width of the level read (JPEG shrink-on-load included).
    /// </summary>
    public string? RefuseStreamed(SourceDescription source, ImagePlan plan)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(plan);
        if (LevelOpener.IsRandomAccess(source, plan.Level))
        {
            return null;
        }

        var info = source.Info;
        var region = plan.Region;

        // The region is in displayed pixels; the decoder runs down the stored rows (EXIF orientation undone).
        long bottom = info.Orientation switch
        {
            1 or 2 => region.Bottom,
            3 or 4 => info.Height - region.Y,
            _ => Math.Max(region.Right, info.Width - region.X),
        };
        var stored = info.Levels[0];
        var rows = ((bottom * plan.Level.Height) + stored.Height - 1) / Math.Max(1, stored.Height);
        var header = source.Header.Decoding == SourceDecoding.Unknown
            ? source.Header with { Format = source.LoaderName, Width = stored.Width, Height = stored.Height }
            : source.Header;
        return RefuseStreamed(header, HeaderProbe.Multiply(Math.Min(rows, plan.Level.Height), plan.Level.Width));
    }

    /// <summary>
    /// Why a request that makes a sequential decoder produce <paramref name="pixels"/> pixels is refused, or null when it
    /// is not: the sentence names the limit, its value and the setting that raises it.
    /// </summary>
    public string? RefuseStreamed(SourceHeader header, long pixels)
    {
        ArgumentNullException.ThrowIfNull(header);
        return pixels <= MaxStreamedPixels
            ? null
            : $"it is a {header.Format} of {header.Width}×{header.Height} pixels, decoded from the top: this region needs {Count(pixels)} decoded, "
                + $"over the limit of {Count(MaxStreamedPixels)} per request (MaxStreamedPixels, --max-streamed-pixels)";
    }

    /// <summary>The sentence a client or an operator reads: what was refused, why, and the two ways out.</summary>
    public static string Message(string identifier, string reason) =>
        $"The image \"{identifier}\" is refused: {reason}. Raise that limit, or serve a pyramid made by `tessera convert`, which is read a tile at a time and needs neither.";

    private static long Mebibytes(long bytes) => (bytes + (1 << 20) - 1) >> 20;

    private static string Count(long pixels) => pixels switch
    {
        >= 1_000_000_000 => string.Create(CultureInfo.InvariantCulture, $"{pixels / 1e9:0.##} Gpx"),
        >= 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{pixels / 1e6:0.##} Mpx"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{pixels} px"),
    };
}
