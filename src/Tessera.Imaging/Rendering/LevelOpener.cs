using Microsoft.Win32.SafeHandles;
using Tessera.Core.Planning;
using Tessera.Imaging.Caching;
using Tessera.Imaging.Sources;
using Tessera.Vips;

namespace Tessera.Imaging.Rendering;

/// <summary>
/// Opens the planned level of a source for reading, and owns what is kept open between requests: libvips images of
/// random-access levels (<see cref="OpenImages"/>, small levels held decoded) and read-only file handles for the
/// stored JPEG tiles read without libvips (<see cref="OpenFiles"/>). Which level is kept, and how, is decided here
/// alone, from what libvips' loaders hold for each kind of level.
/// </summary>
public sealed class LevelOpener(OpenImageCache? openImages = null, OpenFileCache? openFiles = null)
{
    /// <summary>Random-access levels kept open between requests.</summary>
    public OpenImageCache OpenImages { get; } = openImages ?? new OpenImageCache();

    /// <summary>Read-only handles of sources whose stored JPEG tiles are read without libvips.</summary>
    public OpenFileCache OpenFiles { get; } = openFiles ?? new OpenFileCache();

    /// <summary>
    /// Codestream tiles of JPEG 2000 levels decoded by OpenJPEG, kept apart from <see cref="OpenImages"/> and bounded on
    /// their own (<see cref="Jpeg2000TileBytes"/>): decoded pixels add up fast (a 6000 px photograph's pyramid is about
    /// 90 MB), and in the shared bound they pushed a server's resident memory past 256 MB under load.
    /// </summary>
    public OpenImageCache Jpeg2000Tiles { get; } = new(Jpeg2000TileBytes);

    /// <summary>Bytes of decoded JPEG 2000 codestream tiles kept: a viewer's neighbourhood of a large image, not the image.</summary>
    public const long Jpeg2000TileBytes = 48L << 20;

    /// <summary>Levels at most this many pixels are held decoded in memory (about 12 MB each at most).</summary>
    private const long InMemoryLevelPixels = 4_000_000;

    /// <summary>Tiled levels whose loader tile cache would exceed this are not kept open.</summary>
    private const long MaxKeptTileCacheBytes = 8L << 20;

    /// <summary>What libvips 8.14's TIFF loader holds at most for a tiled level: 2.5 rows of decoded tiles.</summary>
    private static long TileCacheBytes(PyramidLevel level) =>
        (long)(2.5 * (1 + (level.Width / level.TileWidth))) * level.TileWidth * level.TileHeight * 4;

    /// <summary>Whether <see cref="Open"/> gives an image that can be read in any order (else it streams top to bottom once).</summary>
    /// <remarks>PDF pages (poppler renders any region asked for) and slides (OpenSlide reads tiles) are.</remarks>
    public static bool IsRandomAccess(SourceDescription source, PyramidLevel level) =>
        source.Loader is SourceLoader.Jpeg2000 or SourceLoader.Pdf or SourceLoader.Slide || (source.Loader == SourceLoader.Tiff && level.IsTiled);

    /// <summary>
    /// Whether <see cref="Open"/> gives the level decoded in memory (small levels of a pyramid, what thumbnails read). A
    /// remote TIFF read in place is never held: its small levels are read tile by tile by range, not downloaded whole.
    /// </summary>
    public static bool IsHeld(SourceDescription source, PyramidLevel level) =>
        source.Loader == SourceLoader.Tiff && level.IsTiled && (long)level.Width * level.Height <= InMemoryLevelPixels && level.Index > 0
        && source.Source.Remote is not { InPlace: true };

    /// <summary>The level, opened or leased from <see cref="OpenImages"/>: the caller disposes it.</summary>
    /// <exception cref="VipsException">The source could not be opened (missing loader, corrupt header).</exception>
    public VipsImage Open(SourceDescription source, PyramidLevel level)
    {
        var path = source.Source.Path;
        const string strict = "truncated";

        // The loader chosen when the source was inspected (Sources/LoaderChoice.cs), never a fresh sniff of libvips'.
        var loader = source.LoaderName;
        // libvips reads the very file the request checked, through a descriptor of its own, never the path looked up
        // again (ResolvedSource.Load).
        VipsImage Load(params ReadOnlySpan<VipsArg> options) => source.Source.Load(loader, options);

        var key = $"{path}\n{source.Source.Version}\n{level.Index}\n{source.Page}";
        var pixels = (long)level.Width * level.Height;
        return source.Loader switch
        {
            // Small levels of a pyramid (what thumbnails read) are decoded once and kept: later requests only resample.
            SourceLoader.Tiff when IsHeld(source, level) => OpenImages.Lease(
                key,
                () =>
                {
                    using var file = Load(("page", level.Index), ("access", "random"), ("fail_on", strict));
                    return file.CopyMemory();
                },
                pixels * 4),

            // Wide tiled levels are opened per request: libvips' TIFF loader caches 2.5 rows of decoded tiles per open
            // image (about 39 MB for a 20000 px wide level of 256 px tiles), which would stay resident for every
            // level kept open, while random regions rarely meet the same tiles again. Opening costs a directory read.
            SourceLoader.Tiff when level.IsTiled && TileCacheBytes(level) > MaxKeptTileCacheBytes =>
                Load(("page", level.Index), ("access", "random"), ("fail_on", strict)),

            // Narrower tiled levels and JPEG 2000 are read region by region: open once, keep open, read any part.
            SourceLoader.Tiff when level.IsTiled => OpenImages.Lease(key, () => Load(("page", level.Index), ("access", "random"), ("fail_on", strict)), OpenImageCache.FileBackedBytes + TileCacheBytes(level)),
            SourceLoader.Jpeg2000 => OpenImages.Lease(key, () => Load(("page", level.Index), ("fail_on", strict))),

            // Strips, JPEG, PNG, ... decode top to bottom: a fresh sequential read streams without holding the image.
            SourceLoader.Tiff => Load(("page", level.Index), ("access", "sequential"), ("fail_on", strict)),
            SourceLoader.Jpeg => Load(("shrink", 1 << level.Index), ("access", "sequential"), ("fail_on", strict)),

            // A PDF level is the page rendered at a fraction of the DPI (poppler draws it that size, region by region);
            // opened per request, as poppler keeps no rendered pixels to share.
            SourceLoader.Pdf => PageSources.LoadPdf(source.Source, source.Page, source.Dpi / (1 << level.Index)),

            // A slide's associated image (label, macro): small, read whole by OpenSlide directly, held as RGB pixels.
            SourceLoader.Slide when source.Page > 0 => OpenImages.Lease(key, () => PageSources.LoadAssociated(source), pixels * 3),

            // OpenSlide's open reads the slide's whole directory: a level is opened once and kept, as a TIFF level is.
            SourceLoader.Slide => OpenImages.Lease(key, () => PageSources.LoadSlide(path, level.Index), OpenImageCache.FileBackedBytes),

            // A HEIF's later images are pages; a GIF's or WebP's frames are not (the first frame is the image).
            _ when source.Page > 0 => Load(("page", source.Page), ("access", "sequential"), ("fail_on", strict)),
            _ => Load(("access", "sequential"), ("fail_on", strict)),
        };
    }

    /// <summary>
    /// Whether <see cref="OpenJpeg2000"/> holds the level decoded in memory: small reductions (at most 4 Mpx, not
    /// full resolution), what thumbnails and low-zoom tiles read. Decoding a whole small level again costs ~200 ms
    /// against a few ms to crop it from memory; larger levels are decoded a window at a time.
    /// </summary>
    public static bool IsHeldJpeg2000(PyramidLevel level) =>
        (long)level.Width * level.Height <= InMemoryLevelPixels && level.Index > 0;

    /// <summary>Whole JPEG 2000 levels decoded to be held so far (one per level and file version while it stays in <see cref="OpenImages"/>).</summary>
    public long HeldJpeg2000Decodes => Interlocked.Read(ref _heldJpeg2000Decodes);

    private long _heldJpeg2000Decodes;

    /// <summary>
    /// For the direct JPEG 2000 path (<see cref="RenderPath.Jpeg2000"/>): the <paramref name="window"/> of the level,
    /// from codestream tiles decoded by OpenJPEG and kept (<paramref name="whole"/> false: the image is the window), or the whole level held decoded
    /// in <see cref="OpenImages"/> when <see cref="IsHeldJpeg2000"/> (<paramref name="whole"/> true: the caller crops).
    /// Either carries the file's ICC profile as <c>icc-profile-data</c>, as a <c>jp2kload</c> image does. The caller
    /// disposes it.
    /// </summary>
    /// <exception cref="VipsException">The file is damaged, truncated or was replaced since it was inspected: an error for the request, never a partial image.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (checked before each codestream tile).</exception>
    public VipsImage OpenJpeg2000(SourceDescription source, PyramidLevel level, PixelRect window, out bool whole, CancellationToken cancellationToken = default)
    {
        var decoder = source.Jpeg2000 ?? throw new ArgumentException($"Expected a JPEG 2000 source the direct decoder accepts but {source.Source.Path} has none ({source.Jpeg2000Refusal})", nameof(source));
        try
        {
            whole = IsHeldJpeg2000(level);
            if (!whole)
            {
                return Jpeg2000Window(source, decoder, level, window, cancellationToken);
            }

            // Keyed apart from the jp2kload image of the same level: both may be open at once when the path is switched.
            var key = $"{source.Source.Path}\n{source.Source.Version}\n{level.Index}\nopenjpeg";
            return OpenImages.Lease(
                key,
                () =>
                {
                    Interlocked.Increment(ref _heldJpeg2000Decodes);
                    return decoder.DecodeLevelToImage(level.Index, 0, 0, level.Width, level.Height);
                },
                (long)level.Width * level.Height * decoder.Bands);
        }
        catch (Jpeg2000Exception e)
        {
            // The renderer's callers answer a VipsException with a 500 for that request: a damaged JPEG 2000 is the same.
            throw new VipsException($"{source.Source.Path} could not be decoded by OpenJPEG: {e.Message}", e);
        }
    }

    /// <summary>
    /// Codestream tiles larger than this at a level (an untiled file, tiles of 2048 px and more) are not decoded whole
    /// and kept: the window alone is decoded per request, as the tile would cost several windows and most of the bound.
    /// </summary>
    private const long MaxKeptJpeg2000TilePixels = 1L << 20;

    /// <summary>Codestream tiles of JPEG 2000 levels decoded so far (each kept in <see cref="Jpeg2000Tiles"/> while it fits).</summary>
    public long Jpeg2000TileDecodes => Interlocked.Read(ref _jpeg2000TileDecodes);

    private long _jpeg2000TileDecodes;

    /// <summary>
    /// The window of a level too large to hold, from the codestream tiles it touches, each decoded whole once and kept
    /// in <see cref="Jpeg2000Tiles"/> (bounded in bytes on its own): neighbouring tiles and overlapping regions, which
    /// viewers ask for together, decode each tile once, as libvips' tile cache would, but without its lock, so
    /// different tiles decode on every core at once. Two requests for the same uncached tile may both decode it.
    /// </summary>
    private VipsImage Jpeg2000Window(SourceDescription source, Jpeg2000Decoder decoder, PyramidLevel level, PixelRect window, CancellationToken cancellationToken)
    {
        var reduction = level.Index;
        var scale = 1L << reduction;
        if (decoder.TileWidth % scale != 0 || decoder.TileHeight % scale != 0 || (decoder.TileWidth / scale) * (decoder.TileHeight / scale) > MaxKeptJpeg2000TilePixels)
        {
            // Tiles of unequal sizes at this reduction (fewer than a pixel per tile row), or tiles too large to decode
            // whole for a window and keep (an untiled file is one tile): decode only the code-blocks of the window.
            return decoder.DecodeLevelToImage(reduction, window.X, window.Y, window.Width, window.Height);
        }

        // Codestream tiles are TileWidth / 2^r level pixels across here (the last ones cut by the level's edge).
        int tileWidth = (int)(decoder.TileWidth / scale), tileHeight = (int)(decoder.TileHeight / scale);
        int firstColumn = window.X / tileWidth, lastColumn = (window.Right - 1) / tileWidth;
        int firstRow = window.Y / tileHeight, lastRow = (window.Bottom - 1) / tileHeight;
        var tiles = new List<VipsImage>();
        try
        {
            for (var row = firstRow; row <= lastRow; row++)
            {
                for (var column = firstColumn; column <= lastColumn; column++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    int x = column * tileWidth, y = row * tileHeight;
                    int width = Math.Min(tileWidth, level.Width - x), height = Math.Min(tileHeight, level.Height - y);
                    var key = $"{source.Source.Path}\n{source.Source.Version}\n{reduction}\nopenjpeg\n{column},{row}";
                    tiles.Add(Jpeg2000Tiles.Lease(
                        key,
                        () =>
                        {
                            Interlocked.Increment(ref _jpeg2000TileDecodes);
                            return decoder.DecodeLevelToImage(reduction, x, y, width, height);
                        },
                        (long)width * height * decoder.Bands));
                }
            }

            // Tiles in a grid of equal cells (only the last column and row are smaller, at the level's edges): the
            // join carries the first tile's header fields (interpretation, ICC profile).
            using var joined = tiles.Count == 1 ? tiles[0].Share() : VipsOperation.Image("arrayjoin", ("in", tiles.ToArray()), ("across", lastColumn - firstColumn + 1));
            return joined.ExtractArea(window.X - (firstColumn * tileWidth), window.Y - (firstRow * tileHeight), window.Width, window.Height);
        }
        finally
        {
            foreach (var tile in tiles)
            {
                tile.Dispose();
            }
        }
    }

    /// <summary>The level decoded in memory when <see cref="IsHeld"/> says it is kept so, else null (its tiles are read instead).</summary>
    public VipsImage? OpenIfHeld(SourceDescription source, PyramidLevel level) => IsHeld(source, level) ? Open(source, level) : null;

    /// <summary>A read-only handle of the source's file, kept open (one positioned read per stored tile).</summary>
    /// <exception cref="IOException">The file could not be opened.</exception>
    public SafeFileHandle OpenFile(ResolvedSource source) => OpenFiles.Open(source);

    /// <summary>Closes every level and handle of a path (a purge); how many were closed.</summary>
    public int Forget(string path) => OpenImages.Forget(path) + Jpeg2000Tiles.Forget(path) + OpenFiles.Forget(path);
}
