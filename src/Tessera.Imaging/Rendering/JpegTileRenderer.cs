using Tessera.Core.Planning;
using Tessera.Imaging.Caching;
using Tessera.Imaging.Colour;
using Tessera.Imaging.Jpeg;
using Tessera.Imaging.Sources;
using Tessera.Imaging.Storage;
using Tessera.Imaging.Tiff;
using Tessera.Vips;

namespace Tessera.Imaging.Rendering;

/// <summary>
/// Answers plans that read JPEG tiles of a pyramid TIFF and write JPEG without libvips, the two fast paths of
/// <see cref="RenderPathChooser"/>. A plan that is exactly one stored tile is that tile's bytes (<see cref="ReadStoredTile"/>).
/// Otherwise the stored tiles under the region are decoded by libjpeg-turbo straight into one buffer (a small
/// level already held decoded is read in place), reduced by <see cref="Reducer"/> and encoded by libjpeg-turbo.
/// The same codec and kernels as the libvips path, minus libtiff's per-tile set-up, the copies into libvips regions
/// and the encoder's worker-thread hand-offs. Anything else (upscaling, steep reductions, sparse or damaged tiles,
/// libturbojpeg missing) is declined, and <see cref="ImageRenderer"/> renders it with libvips, which also decides what
/// a damaged tile means for the response.
/// </summary>
/// <param name="options">Quality, kernel and whether this path is on.</param>
/// <param name="buffers">Reused native pixel buffers.</param>
/// <param name="levels">Opens levels and files, and holds small levels decoded.</param>
/// <param name="transforms">LittleCMS transforms of profiles that are not sRGB, built once each (<see cref="ColourHandling.Transform"/>).</param>
public sealed class JpegTileRenderer(RenderOptions options, PixelBufferPool buffers, LevelOpener levels, ColourTransformCache transforms)
{
    /// <summary>Largest region read, in level pixels (about 24 MB of RGB; the reducer's own bound).</summary>
    public const long MaxRegionPixels = 8_000_000;

    /// <summary>Steepest reduction per axis (the reducer's bound; steeper ones go to libvips, which box-shrinks first).</summary>
    public const double MaxReduction = 4;

    /// <summary>
    /// Renders the plan from the level's tiles, or from the level itself when it is held decoded (<see cref="LevelOpener.IsHeld"/>);
    /// false (nothing rendered) when it is not one this renderer takes.
    /// </summary>
    /// <param name="plan">The plan.</param>
    /// <param name="source">Its source.</param>
    /// <param name="directory">The level's TIFF directory.</param>
    /// <param name="image">The JPEG.</param>
    /// <param name="colour">What is done with the source's colours (<see cref="RenderDecision.Colour"/>).</param>
    /// <param name="cancellationToken">Checked before each tile is decoded (a stopped render throws <see cref="OperationCanceledException"/>).</param>
    public bool TryRender(ImagePlan plan, SourceDescription source, TiffDirectory directory, out RenderedImage image, ColourHandling colour = ColourHandling.AsStored, CancellationToken cancellationToken = default)
    {
        var window = LevelWindow.Of(plan.Region, plan.Level.Width, plan.Level.Height, source.Info.Width, source.Info.Height, plan.IsFullRegion);
        using var held = levels.OpenIfHeld(source, plan.Level);
        return TryRender(plan, source, directory, window, held, out image, colour, cancellationToken);
    }

    /// <summary>Renders the plan, or returns false (nothing rendered) when it is not one this renderer takes.</summary>
    /// <param name="plan">The plan: one that <see cref="RenderPathChooser"/> sent to <see cref="RenderPath.JpegTiles"/>.</param>
    /// <param name="source">Its source.</param>
    /// <param name="directory">The level's TIFF directory, as <see cref="RenderDecision.Directory"/> gave it.</param>
    /// <param name="window">The plan's region in the level's pixels (left, top, width, height).</param>
    /// <param name="held">The level decoded in memory, when it is held so; else null and its tiles are decoded.</param>
    /// <param name="image">The JPEG.</param>
    /// <param name="colour">What is done with the source's colours (<see cref="RenderDecision.Colour"/>).</param>
    /// <param name="cancellationToken">Checked before each tile is decoded (a stopped render throws <see cref="OperationCanceledException"/>).</param>
    /// <exception cref="JpegException">A tile's data is corrupt or short (libjpeg-turbo warned): damage, an error for the request.</exception>
    /// <exception cref="TiffFormatException">A tile is stored past the end of the file.</exception>
    public bool TryRender(ImagePlan plan, SourceDescription source, TiffDirectory directory, PixelRect window, VipsImage? held, out RenderedImage image, ColourHandling colour = ColourHandling.AsStored, CancellationToken cancellationToken = default)
    {
        image = null!;
        if (!Vips.Jpeg.IsAvailable || !TryColourStep(colour, source, out var step))
        {
            return false;
        }

        // The chooser took this geometry; asked again because the buffers below are sized from it.
        var bands = directory.SamplesPerPixel;
        if (RenderPathChooser.WhyNotDecoded(plan, directory, window, options) is not null)
        {
            return false;
        }

        // The plan's redactions in the window's pixels: drawn black on the decoded tiles before any reduction.
        var boxes = Redactor.InWindow(plan, source, directory.ImageWidth, directory.ImageLength, window);
        try
        {
            if (held is not null)
            {
                if (!held.IsInMemory || held.Bands != bands || held.Format != BandFormat.UChar || held.Width != directory.ImageWidth || held.Height != directory.ImageLength)
                {
                    return false;
                }

                // Held decoded by libvips, which serves a damaged tile grey: the tiles under the window are checked first.
                VerifyTiles(source, directory, window, cancellationToken);
                var stride = held.Width * bands;
                var pixels = held.MemoryPixels[((window.Y * stride) + (window.X * bands))..];
                image = boxes.Count == 0 ? Finish(plan, pixels, window, stride, bands, step) : FinishRedacted(plan, pixels, window, stride, bands, step, boxes);
                return true;
            }

            return TryDecodeTiles(plan, source, directory, window, step, boxes, out image, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException && e is not RemoteStoreException)
        {
            // A handle closed under us, or a read that failed: libvips reads it afresh. (A remote store's failure goes
            // up: 502/504, not a whole download after a failed range.)
            return false;
        }

        // A JpegException (libjpeg-turbo stops at its first warning: corrupt or short entropy data) or a
        // TiffFormatException (a tile stored past the end of the file) is damage, and goes up as an error for the
        // request: libvips' TIFF loader would only log libjpeg's warnings and serve the tile grey (fail_on does not
        // reach libtiff's JPEG codec).
    }

    /// <summary>Where the level's tiles are read: by ranged reads for a remote TIFF read in place, else from the checked open file.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2000", Justification = "Owner: the level opener's open-file cache (levels). It disposes the handle when it evicts or forgets it; callers treat a handle closed under them as a miss.")]
    private TiffByteSource ReaderOf(SourceDescription source, CancellationToken cancellationToken) =>
        source.Source.Remote is { InPlace: true } remote
            ? TiffByteSource.From(remote.Bytes, cancellationToken)
            : TiffByteSource.From(levels.OpenFile(source.Source));

    /// <summary>
    /// Where tile <paramref name="index"/> is stored, when its bytes can make a standalone JPEG: listed, at least a few
    /// bytes, at most <see cref="JpegTilePassthrough.MaxTileBytes"/>, inside a file of <paramref name="fileLength"/> bytes.
    /// </summary>
    private static bool TryTileExtent(TiffDirectory directory, int index, long fileLength, out long offset, out int count)
    {
        offset = 0;
        count = 0;
        if (index >= directory.TileOffsets.Length || index >= directory.TileByteCounts.Length)
        {
            return false;
        }

        long at = directory.TileOffsets[index], bytes = directory.TileByteCounts[index];
        if (bytes < 4 || bytes > JpegTilePassthrough.MaxTileBytes || at < 0 || at + bytes > fileLength)
        {
            return false;
        }

        (offset, count) = (at, (int)bytes);
        return true;
    }

    /// <summary>Right-edge stored tiles as cut for sending, per file version (<see cref="ReadStoredTile"/>).</summary>
    public CroppedEdgeTiles CroppedEdges { get; } = new();

    /// <summary>The tiles known to decode cleanly, per file version (<see cref="VerifyTiles"/>).</summary>
    public VerifiedTiles Verified { get; } = new();

    /// <summary>
    /// Checks that the stored JPEG tiles under <paramref name="window"/> (level pixels) decode without a warning, each
    /// once per version of its file: for the readers that would not tell (libvips' TIFF loader only logs libjpeg's
    /// warnings, <c>fail_on</c> does not reach libtiff's JPEG codec, and serves a damaged tile grey; a level held
    /// decoded was decoded so). A tile the check cannot assemble, or one stored outside the file, is left to the
    /// reader (libvips) and to the integrity checks of the source; a level of tiles this code does not decode
    /// (CMYK, 16-bit) is not checked.
    /// </summary>
    /// <exception cref="JpegException">A tile's data is corrupt or short: damage, an error for the request.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2000", Justification = "Owner: the buffer pool (buffers). Rented buffers go back to it through Release in the finally, which keeps or frees them.")]
    public void VerifyTiles(SourceDescription source, TiffDirectory directory, PixelRect window, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(directory);
        if (!directory.IsTiled || !Vips.Jpeg.IsAvailable || JpegTilePassthrough.GetIneligibility(directory) is not null)
        {
            return;
        }

        int tileWidth = directory.TileWidth, tileHeight = directory.TileLength, bands = directory.SamplesPerPixel;
        int firstColumn = window.X / tileWidth, lastColumn = Math.Min((window.Right - 1) / tileWidth, directory.TilesAcross - 1);
        int firstRow = window.Y / tileHeight, lastRow = Math.Min((window.Bottom - 1) / tileHeight, directory.TilesDown - 1);
        var bits = Verified.For(source.Source, directory);
        var rgb = directory.Photometric == TiffDirectory.PhotometricRgb;
        TiffByteSource? reader = null;
        NativeBuffer? stored = null, jpeg = null;
        try
        {
            for (var row = firstRow; row <= lastRow; row++)
            {
                for (var column = firstColumn; column <= lastColumn; column++)
                {
                    var index = (row * directory.TilesAcross) + column;
                    if (VerifiedTiles.IsVerified(bits, index))
                    {
                        continue;
                    }

                    cancellationToken.ThrowIfCancellationRequested();
                    reader ??= ReaderOf(source, cancellationToken);
                    if (!TryTileExtent(directory, index, reader.Length, out var offset, out var count))
                    {
                        continue;
                    }

                    if (stored is null || stored.Length < count)
                    {
                        Release(ref stored);
                        Release(ref jpeg);
                        stored = buffers.Rent(count);
                        jpeg = buffers.Rent(count + directory.JpegTables.Length + 64);
                    }

                    var tile = stored.Span[..count];
                    reader.ReadExactly(offset, tile);
                    if (!JpegTileAssembler.TryAssemble(directory.JpegTables.Span, tile, rgb, bands, tileWidth, tileHeight, tileHeight, jpeg!.Span, out var length, out _, out _))
                    {
                        continue;
                    }

                    Vips.Jpeg.Verify(jpeg.Span[..length], tileWidth, tileHeight, bands);
                    VerifiedTiles.MarkVerified(bits, index);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            // A handle closed under us, or a read that failed: the reader opens the file afresh and fails on its own.
        }
        finally
        {
            Release(ref stored);
            Release(ref jpeg);
        }

        void Release(ref NativeBuffer? buffer)
        {
            if (buffer is not null)
            {
                buffers.Return(buffer);
                buffer = null;
            }
        }
    }

    /// <summary>
    /// Stored tile (<paramref name="column"/>, <paramref name="row"/>) of the level's directory as it is (tables merged
    /// in, an edge tile cropped), or null when its bytes cannot be used as they are: then it is rendered. The bytes are
    /// sent as stored, not decoded: damage inside a tile's entropy data reaches the client as it is on disk.
    /// </summary>
    /// <exception cref="TiffFormatException">The tile is stored past the end of the file (it would be read short).</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2000", Justification = "Owner: the level opener's open-file cache. It disposes the handle when it evicts or forgets it; a handle closed under this read is a miss.")]
    public RenderedImage? ReadStoredTile(ImagePlan plan, SourceDescription source, TiffDirectory directory, int column, int row, ColourHandling colour = ColourHandling.AsStored)
    {
        try
        {
            // A right-edge tile is cut once per file version and kept (CroppedEdgeTiles); any other is read each time.
            var edgeKey = CroppedEdgeTiles.KeyOf(source.Source, directory, column, row);
            if (edgeKey is null || !CroppedEdges.TryGet(edgeKey, out var stored))
            {
                // A remote TIFF read in place: one ranged GET of exactly this tile's bytes.
                var tile = source.Source.Remote is { InPlace: true } remote
                    ? JpegTilePassthrough.ReadTile(remote.Bytes, directory, column, row)
                    : JpegTilePassthrough.ReadTile(levels.OpenFile(source.Source), directory, column, row);
                if (!tile.IsEligible)
                {
                    return null;
                }

                stored = tile.Jpeg!;
                if (edgeKey is not null)
                {
                    CroppedEdges.Add(edgeKey, stored);
                }
            }

            // Embedding: the stored pixels with the source's profile, as iipsrv sends them.
            var jpeg = colour == ColourHandling.Embed && source.Profile is { } profile ? JpegIccMarkers.Embed(stored, profile.Data.Span) : stored;
            return new RenderedImage(jpeg, "image/jpeg", plan.Width, plan.Height) { Origin = RenderOrigin.StoredTile };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException && e is not RemoteStoreException)
        {
            // A handle closed under us: the renderer will read it afresh. (A remote store's failure goes up: 502/504.)
            return null;
        }

        // A TiffFormatException (the tile's bytes lie past the end of the file) goes up: a tile read short is damage.
    }

    private bool TryDecodeTiles(ImagePlan plan, SourceDescription source, TiffDirectory directory, PixelRect window, ColourStep step, IReadOnlyList<PixelRect> boxes, out RenderedImage image, CancellationToken cancellationToken)
    {
        image = null!;
        int tileWidth = directory.TileWidth, tileHeight = directory.TileLength, bands = directory.SamplesPerPixel;
        int firstColumn = window.X / tileWidth, lastColumn = (window.Right - 1) / tileWidth;
        int firstRow = window.Y / tileHeight, lastRow = (window.Bottom - 1) / tileHeight;

        // The tiles under the window, whole (a JPEG tile decodes whole), side by side: rows of this many bytes.
        var stride = (lastColumn - firstColumn + 1) * tileWidth * bands;
        var rows = (lastRow - firstRow + 1) * tileHeight;
        if ((long)stride * rows > int.MaxValue)
        {
            return false;
        }

        // Every tile must be stored and inside the file (a sparse one shows what libvips decides); the largest sizes
        // the buffers a tile is read and made a standalone JPEG in.
        // A remote TIFF read in place: one ranged GET per tile under the window, and no others, several at once.
        var reader = ReaderOf(source, cancellationToken);
        var remote = source.Source.Remote is { InPlace: true } inPlace ? inPlace.Bytes : null;
        var extents = remote is null ? null : new List<(long Offset, int Count)>();
        long largest = 0;
        for (var row = firstRow; row <= lastRow; row++)
        {
            for (var column = firstColumn; column <= lastColumn; column++)
            {
                if (!TryTileExtent(directory, (row * directory.TilesAcross) + column, reader.Length, out var offset, out var count))
                {
                    return false;
                }

                extents?.Add((offset, count));
                largest = Math.Max(largest, count);
            }
        }

        if (remote is not null && extents!.Count > 1)
        {
            // Fetched together (bounded), then decoded in order from memory: the region waits for the store about
            // once, not once per tile.
            reader = TiffByteSource.From(new PrefetchedBytes(remote, extents, remote.ReadMany(extents, cancellationToken)), cancellationToken);
        }

        var tablesLength = directory.JpegTables.Length;
        var rgb = directory.Photometric == TiffDirectory.PhotometricRgb;
        NativeBuffer? pixels = null, stored = null, jpeg = null, target = null, scratch = null;
        try
        {
            stored = buffers.Rent((int)largest);
            jpeg = buffers.Rent((int)largest + tablesLength + 64);

            // Decodes one tile into place, or only its top rows when the window ends above its bottom (the last tile
            // row: the entropy-coded data of the rows below is left unread, which saves about a tenth of a region's
            // decoding); false when its stored bytes do not make a whole tile.
            var lastRows = window.Bottom - (lastRow * tileHeight);
            bool Decode(int row, int column, Span<byte> destination, int pitch)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var index = (row * directory.TilesAcross) + column;
                var tile = stored.Span[..(int)directory.TileByteCounts[index]];
                reader.ReadExactly(directory.TileOffsets[index], tile);
                var needed = row == lastRow ? lastRows : tileHeight;
                if (!JpegTileAssembler.TryAssemble(directory.JpegTables.Span, tile, rgb, bands, tileWidth, tileHeight, needed, jpeg.Span, out var length, out var frameRows, out _))
                {
                    return false;
                }

                if (frameRows < tileHeight)
                {
                    Vips.Jpeg.DecodeTop(jpeg.Span[..length], destination, tileWidth, frameRows, pitch, bands);
                }
                else
                {
                    Vips.Jpeg.Decode(jpeg.Span[..length], destination, tileWidth, tileHeight, pitch, bands);
                }

                return true;
            }

            var left = (window.X - (firstColumn * tileWidth)) * bands;
            int width = plan.Width, height = plan.Height;
            if (width == window.Width && height == window.Height)
            {
                // Nothing to reduce: the encoder takes the window straight from the tiles, all decoded side by side.
                pixels = buffers.Rent(stride * rows);
                for (var row = firstRow; row <= lastRow; row++)
                {
                    for (var column = firstColumn; column <= lastColumn; column++)
                    {
                        if (!Decode(row, column, pixels.Span[(((row - firstRow) * tileHeight * stride) + ((column - firstColumn) * tileWidth * bands))..], stride))
                        {
                            return false;
                        }
                    }
                }

                var windowPixels = pixels.Span[(((window.Y - (firstRow * tileHeight)) * stride) + left)..];
                Redactor.Blacken(windowPixels, stride, bands, 0, 0, window.Width, window.Height, boxes);
                image = Encode(windowPixels, width, height, stride, bands, step, plan.JpegQuality ?? options.JpegQuality);
                return true;
            }

            // A reduction: one tile row at a time into a band, which keeps only the rows the target rows still to make
            // need (fewer than one target row's taps), so a region of any height holds about one tile row.
            var reduction = new BandedReduction(window.Width, window.Height, bands, width, height, options.Kernel);
            var capacity = tileHeight + reduction.RowsPerTargetRow;
            pixels = buffers.Rent(stride * capacity);
            target = buffers.Rent((width * height * bands) + Reducer.Padding);
            scratch = buffers.Rent(Reducer.ScratchBytes(window.Width, height, bands));
            // Band rows are counted from the window's top (the first tile row may start above it).
            int bandTop = (firstRow * tileHeight) - window.Y, bandRows = 0;
            for (var row = firstRow; row <= lastRow; row++)
            {
                // The rows still needed go to the top of the band; the tile row goes below them.
                var kept = reduction.KeepNeeded(pixels.Span, stride, bandTop, bandRows);
                if (kept + tileHeight > capacity)
                {
                    throw new InvalidOperationException($"The band keeps {kept} rows; it has room for {capacity - tileHeight}");
                }

                bandTop = (row * tileHeight) - window.Y - kept;
                bandRows = kept + (row == lastRow ? lastRows : tileHeight);
                for (var column = firstColumn; column <= lastColumn; column++)
                {
                    if (!Decode(row, column, pixels.Span[((kept * stride) + ((column - firstColumn) * tileWidth * bands))..], stride))
                    {
                        return false;
                    }
                }

                // The window's rows in the band.
                var top = Math.Max(bandTop, 0);
                var bottom = Math.Min(bandTop + bandRows, window.Height);
                var bandPixels = pixels.Span[(((top - bandTop) * stride) + left)..];

                // Rows kept from the tile row before were blackened then; again costs nothing where no box is.
                Redactor.Blacken(bandPixels, stride, bands, 0, top, window.Width, bottom - top, boxes);
                reduction.Feed(bandPixels, top, bottom - top, stride, target.Span, scratch.Span);
            }

            if (!reduction.IsComplete)
            {
                throw new InvalidOperationException($"The tiles under the window made {reduction.NextRow} of {height} rows");
            }

            image = Encode(target.Span, width, height, width * bands, bands, step, plan.JpegQuality ?? options.JpegQuality);
            return true;
        }
        finally
        {
            // Native memory: every buffer rented goes back, even when a later rent fails.
            foreach (var buffer in new[] { scratch, target, jpeg, stored, pixels })
            {
                if (buffer is not null)
                {
                    buffers.Return(buffer);
                }
            }
        }
    }

    /// <summary>Reduces the window (rows <paramref name="stride"/> bytes apart) to the plan's size if need be, and encodes it.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2000", Justification = "Owner: the buffer pool (buffers). Rented buffers go back to it with Return in the finally, which keeps or frees them.")]
    private RenderedImage Finish(ImagePlan plan, ReadOnlySpan<byte> pixels, PixelRect window, int stride, int bands, ColourStep step)
    {
        int width = plan.Width, height = plan.Height;
        if (width == window.Width && height == window.Height)
        {
            return Encode(pixels, width, height, stride, bands, step, plan.JpegQuality ?? options.JpegQuality);
        }

        var target = buffers.Rent((width * height * bands) + Reducer.Padding);
        NativeBuffer? scratch = null;
        try
        {
            scratch = buffers.Rent(Reducer.ScratchBytes(window.Width, height, bands));
            Reducer.Reduce(pixels, window.Width, window.Height, stride, bands, target.Span, width, height, options.Kernel, scratch.Span);
            return Encode(target.Span, width, height, width * bands, bands, step, plan.JpegQuality ?? options.JpegQuality);
        }
        finally
        {
            if (scratch is not null)
            {
                buffers.Return(scratch);
            }

            buffers.Return(target);
        }
    }

    /// <summary>As <see cref="Finish"/>, for a window of a level held decoded (shared, never written) with boxes to black out: on a copy of the window.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2000", Justification = "Owner: the buffer pool (buffers). The rented copy goes back to it with Return in the finally.")]
    private RenderedImage FinishRedacted(ImagePlan plan, ReadOnlySpan<byte> pixels, PixelRect window, int stride, int bands, ColourStep step, IReadOnlyList<PixelRect> boxes)
    {
        var rowBytes = window.Width * bands;
        var copy = buffers.Rent(rowBytes * window.Height);
        try
        {
            for (var row = 0; row < window.Height; row++)
            {
                pixels.Slice(row * stride, rowBytes).CopyTo(copy.Span[(row * rowBytes)..]);
            }

            Redactor.Blacken(copy.Span, rowBytes, bands, 0, 0, window.Width, window.Height, boxes);
            return Finish(plan, copy.Span, window, rowBytes, bands, step);
        }
        finally
        {
            buffers.Return(copy);
        }
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2000", Justification = "Owner: the buffer pool (buffers). Rented buffers go back to it with Return in the finally, which keeps or frees them.")]
    private RenderedImage Encode(ReadOnlySpan<byte> pixels, int width, int height, int stride, int bands, ColourStep step, int quality)
    {
        var output = buffers.Rent(Vips.Jpeg.MaxEncodedBytes(width, height, bands));
        NativeBuffer? converted = null;
        try
        {
            if (step.Converter is { } converter)
            {
                // Output-sized pixels only: a region is transformed after it is reduced, as libvips' path does.
                converted = buffers.Rent(width * height * bands);
                converter.Transform(pixels, converted.Span, width, height, stride, width * bands);
                pixels = converted.Span;
                stride = width * bands;
            }

            var length = Vips.Jpeg.Encode(pixels, width, height, stride, bands, quality, output.Span);
            var jpeg = step.Profile is { } profile ? JpegIccMarkers.Embed(output.Span[..length], profile.Span) : output.Span[..length].ToArray();
            return new RenderedImage(jpeg, "image/jpeg", width, height) { Origin = RenderOrigin.JpegTiles };
        }
        finally
        {
            if (converted is not null)
            {
                buffers.Return(converted);
            }

            buffers.Return(output);
        }
    }

    /// <summary>What happens to the pixels on the way out: a conversion to sRGB, or a profile attached; neither for sRGB sources.</summary>
    private readonly record struct ColourStep(ColourConverter? Converter, ReadOnlyMemory<byte>? Profile);

    /// <summary>The colour step of <paramref name="colour"/>; false when this path cannot take it (the transform could not be built).</summary>
    private bool TryColourStep(ColourHandling colour, SourceDescription source, out ColourStep step)
    {
        step = default;
        switch (colour)
        {
            case ColourHandling.AsStored:
                return true;
            case ColourHandling.Embed when source.Profile is { } profile:
                step = new ColourStep(null, profile.Data);
                return true;
            case ColourHandling.Transform when source.Profile is { } profile && ColourConverter.For(profile, ColourTransformKind.Rgb, transforms) is { } converter:
                step = new ColourStep(converter, null);
                return true;
            default:
                return false;
        }
    }
}
