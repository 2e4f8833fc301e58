using Tessera.Core.Iiif;
using Tessera.Core.Planning;
using Tessera.Imaging.Caching;
using Tessera.Imaging.Colour;
using Tessera.Imaging.Sources;
using Tessera.Vips;

namespace Tessera.Imaging.Rendering;

/// <summary>
/// Turns a plan into encoded bytes: the only step that touches pixels. Reads the planned pyramid level, crops,
/// resizes to the exact planned size, converts to sRGB, applies quality, mirroring and rotation, strips metadata
/// and encodes. <see cref="RenderPathChooser"/> says which path a plan takes: one it sends to the JPEG tiles goes to
/// <see cref="JpegTileRenderer"/> first (libjpeg-turbo without libvips, the same picture); what that declines, and
/// everything else, is rendered here with libvips; a JPEG 2000 window the chooser sends to <see cref="RenderPath.Jpeg2000"/> is
/// decoded by OpenJPEG directly and continues down the same chain. Levels are opened, and kept open, by <see cref="LevelOpener"/>.
/// </summary>
public sealed class ImageRenderer
{
    private static readonly double[] White = [255, 255, 255];

    /// <exception cref="InvalidOptionsException">The options are invalid; the message lists every problem.</exception>
    public ImageRenderer(RenderOptions options, OpenImageCache? openImages = null)
    {
        Options = InvalidOptionsException.ThrowIfAny(options, options.Validate(), nameof(options));
        Levels = new LevelOpener(openImages);
        Paths = new RenderPathChooser(options);
        JpegTiles = new JpegTileRenderer(options, Buffers, Levels, Transforms);
    }

    public RenderOptions Options { get; }

    /// <summary>LittleCMS transforms from the profiles met to sRGB, one per profile, shared by every render.</summary>
    public ColourTransformCache Transforms { get; } = new();

    /// <summary>Decides which path answers a plan, and why.</summary>
    public RenderPathChooser Paths { get; }

    /// <summary>Opens the planned levels, and holds what is kept open between requests.</summary>
    public LevelOpener Levels { get; }

    /// <summary>Reused pixel buffers (the reducer's, and the JPEG tile path's).</summary>
    public PixelBufferPool Buffers { get; } = new();

    /// <summary>The libvips-free path for plans that read and write JPEG (most tiles and regions of a pyramid).</summary>
    public JpegTileRenderer JpegTiles { get; }

    /// <summary>Chooses the path for the plan (<see cref="Paths"/>) and renders it.</summary>
    /// <exception cref="VipsException">The source could not be decoded (corrupt, truncated) or encoding failed.</exception>
    public RenderedImage Render(ImagePlan plan, SourceDescription source) => Render(plan, source, Paths.Choose(plan, source));

    /// <summary>
    /// Renders the plan by the path <paramref name="decision"/> names: the JPEG tile path, or libvips for what it
    /// declines and for everything else. A stored tile reaches here only when its bytes could not be sent as they are:
    /// its <see cref="RenderDecision.Fallback"/> renders it.
    /// </summary>
    /// <param name="plan">The plan.</param>
    /// <param name="source">Its source.</param>
    /// <param name="decision">The path to take.</param>
    /// <param name="control">
    /// What can stop the render from outside (its time budget, its request going away), or null for nothing: the managed
    /// loops check it between strips and tiles, and libvips computations stop through the images the render made.
    /// </param>
    /// <exception cref="VipsException">The source could not be decoded (corrupt, truncated) or encoding failed; also how libvips reports a render stopped by <paramref name="control"/> (see <see cref="RenderControl.Reason"/>).</exception>
    /// <exception cref="OperationCanceledException">The render was stopped by <paramref name="control"/> in managed code.</exception>
    public RenderedImage Render(ImagePlan plan, SourceDescription source, RenderDecision decision, RenderControl? control = null)
    {
        ArgumentNullException.ThrowIfNull(decision);

        // libvips' error buffer is process-wide: the scope lets a failure here take only its own native text.
        using var errors = VipsErrorScope.Begin(source.Source.Path, source.LoaderName);
        var token = control?.Token ?? CancellationToken.None;
        var path = decision.Path == RenderPath.StoredTile ? decision.Fallback ?? decision with { Path = RenderPath.Libvips } : decision;
        if (path.Path == RenderPath.JpegTiles && path.Directory is { } directory && JpegTiles.TryRender(plan, source, directory, out var direct, path.Colour, token))
        {
            return direct;
        }

        token.ThrowIfCancellationRequested();

        // libvips reads files: a remote TIFF read in place is fetched whole into the spool for what the tile paths decline.
        source.Source.Remote?.EnsureLocal(token);

        var info = source.Info;

        // A JPEG 2000 window is decoded by OpenJPEG directly (every core at once), or cropped below from the level held
        // decoded; everything else opens the level through libvips.
        var whole = true;
        var openJpeg = path.Path == RenderPath.Jpeg2000;
        if (!openJpeg && source.Loader == SourceLoader.Tiff && plan.Level.IsTiled && source.TiffDirectories.FirstOrDefault(d => d.Page == plan.Level.Index) is { } tiles)
        {
            // libvips' TIFF loader serves a JPEG tile whose data is damaged grey (it only logs libjpeg's warnings):
            // the tiles under the region are checked first, each once per file version.
            var stored = Orientation.ToStored(plan.Region, info);
            int storedWidth = info.SwapsAxes ? info.Height : info.Width, storedHeight = info.SwapsAxes ? info.Width : info.Height;
            JpegTiles.VerifyTiles(source, tiles, LevelWindow.Of(stored, tiles.ImageWidth, tiles.ImageLength, storedWidth, storedHeight, plan.IsFullRegion), token);
        }

        using var chain = new VipsChain(openJpeg ? Levels.OpenJpeg2000(source, plan.Level, path.Window, out whole, token) : Levels.Open(source, plan.Level), control);

        // Crop and resize in the stored orientation, so a sequential (streaming) read suffices; turn upright only
        // once the image is output-sized.
        var swap = info.SwapsAxes;
        var opened = chain.First;
        int fullWidth = swap ? info.Height : info.Width, fullHeight = swap ? info.Width : info.Height;
        var top = whole ? Crop(chain, Orientation.ToStored(plan.Region, info), fullWidth, fullHeight, plan.IsFullRegion) : path.Window.Y;
        if (plan.Redactions.Count > 0)
        {
            // Black boxes on the level's pixels, before anything scales them (docs/access.md, "Redaction").
            var window = whole ? LevelWindow.Of(Orientation.ToStored(plan.Region, info), opened.Width, opened.Height, fullWidth, fullHeight, plan.IsFullRegion) : path.Window;
            Redactor.Draw(chain, Redactor.InWindow(plan, source, whole ? opened.Width : plan.Level.Width, whole ? opened.Height : plan.Level.Height, window));
        }

        if (top > 0 && !LevelOpener.IsRandomAccess(source, plan.Level))
        {
            // A streaming read must decode the rows above the region anyway; walking it down to them in steps keeps
            // libvips from holding them all (see VipsImage.SkipRows).
            opened.SkipRows(top, token);
        }

        // Pixels are fetched in strips that follow the level's tile rows, so each tile is decoded once.
        var strip = plan.Level.IsTiled ? plan.Level.TileHeight : DefaultStrip;
        ResizeExactly(chain, swap ? plan.Height : plan.Width, swap ? plan.Width : plan.Height, strip, strip - (top % strip));
        var embed = ColourStage.Apply(chain, source, plan, Options.Colour, Transforms, Buffers);
        if ((info.Orientation != 1 || plan.Rotation != 0) && !LevelOpener.IsRandomAccess(source, plan.Level))
        {
            // Turning reads pixels out of order, which a streaming read cannot give: materialise the output-sized
            // (so limit-bounded) image first.
            chain.Then(chain.Current.CopyMemory());
        }

        if (info.Orientation != 1)
        {
            chain.Then(chain.Current.Call("autorot"));
        }

        ApplyQuality(chain, plan.Quality);
        if (plan.Mirror)
        {
            chain.Then(chain.Current.FlipHorizontal());
        }

        Rotate(chain, plan.Rotation, plan.Format);
        var bytes = Encode(chain, plan.Format, embed, plan.JpegQuality);
        return new RenderedImage(bytes, plan.Format.MediaType(), chain.Current.Width, chain.Current.Height) { Origin = openJpeg ? RenderOrigin.OpenJpeg : RenderOrigin.Rendered };
    }

    /// <summary>Rows of a strip when fetching from an untiled source.</summary>
    private const int DefaultStrip = 256;

    /// <summary>Cuts <paramref name="region"/> (full-resolution, stored orientation) out of the opened level; returns the cut's top row in the level.</summary>
    private static int Crop(VipsChain chain, PixelRect region, int storedWidth, int storedHeight, bool isFull)
    {
        var image = chain.Current;
        var window = LevelWindow.Of(region, image.Width, image.Height, storedWidth, storedHeight, isFull);
        if (window.X == 0 && window.Y == 0 && window.Width == image.Width && window.Height == image.Height)
        {
            return 0;
        }

        chain.Then(image.ExtractArea(window.X, window.Y, window.Width, window.Height));
        return window.Y;
    }

    /// <summary>Reductions by more than this on an axis go to libvips, which box-shrinks first (cheaper than a wide kernel).</summary>
    private const double MaxReducerFactor = 4;

    /// <summary>Inputs of the reducer: at most this many pixels (larger ones go to libvips, as before the reducer streamed them).</summary>
    private const long MaxReducerPixels = 8_000_000;

    private void ResizeExactly(VipsChain chain, int width, int height, int strip, int firstStrip)
    {
        var image = chain.Current;
        if (image.Width == width && image.Height == height)
        {
            return;
        }

        if (CanReduce(image, width, height))
        {
            Reduce(chain, width, height, strip, firstStrip);
            return;
        }

        chain.Then(image.Resize((double)width / image.Width, (double)height / image.Height, Options.Kernel.VipsNick()));

        // resize rounds each axis itself; never send a size other than the planned one.
        var resized = chain.Current;
        if (resized.Width != width || resized.Height != height)
        {
            if (resized.Width >= width && resized.Height >= height)
            {
                chain.Then(resized.ExtractArea(0, 0, width, height));
            }
            else
            {
                chain.Then(resized.Call("embed", ("x", 0), ("y", 0), ("width", width), ("height", height), ("extend", "copy")));
                if (chain.Current.Width != width || chain.Current.Height != height)
                {
                    chain.Then(chain.Current.ExtractArea(0, 0, width, height));
                }
            }
        }
    }

    /// <summary>Whether the reducer can take this resize: a reduction of an 8-bit image of 1 to 4 bands, not too large or steep.</summary>
    private bool CanReduce(VipsImage image, int width, int height) =>
        Reducer.Supports(Options.Kernel)
        && image.Format == BandFormat.UChar
        && image.Bands <= 4
        && image.Interpretation is Interpretation.Srgb or Interpretation.BW or Interpretation.Multiband or Interpretation.Rgb or Interpretation.Cmyk
        && width <= image.Width && height <= image.Height
        && image.Width <= width * MaxReducerFactor && image.Height <= height * MaxReducerFactor
        && (long)image.Width * image.Height <= MaxReducerPixels;

    /// <summary>
    /// Decodes the cropped level a strip at a time into a reused band buffer, reduces it in managed code as it comes
    /// (<see cref="BandedReduction"/>: the band keeps only the rows still needed) and hands the pixels back to libvips
    /// with the header fields later steps need (ICC profile, orientation).
    /// </summary>
    private void Reduce(VipsChain chain, int width, int height, int strip, int firstStrip)
    {
        var image = chain.Current;
        var bands = image.Bands;
        var stride = image.Width * bands;
        var reduction = new BandedReduction(image.Width, image.Height, bands, width, height, Options.Kernel);
        var capacity = Math.Max(strip, firstStrip) + reduction.RowsPerTargetRow;
        var band = Buffers.Rent(stride * capacity);
        NativeBuffer? scratch = null, target = null;
        try
        {
            scratch = Buffers.Rent(Reducer.ScratchBytes(image.Width, height, bands));
            target = Buffers.Rent((width * height * bands) + Reducer.Padding);
            int bandTop = 0, bandRows = 0;
            for (var top = 0; top < image.Height;)
            {
                chain.ThrowIfStopped();
                var rows = Math.Min(top == 0 ? firstStrip : strip, image.Height - top);
                var kept = reduction.KeepNeeded(band.Span, stride, bandTop, bandRows);
                image.WriteRowsTo(band.Span[(kept * stride)..], top, rows, stride);
                (bandTop, bandRows) = (top - kept, kept + rows);
                reduction.Feed(band.Span, bandTop, bandRows, stride, target.Span, scratch.Span);
                top += rows;
            }

            // The reduced pixels stand alone: let go of the source now (an opened level's decoded tiles with it)
            // rather than hold it through the encode.
            chain.Restart(VipsImage.FromPixelsLike(target.Span[..(width * height * bands)], width, height, image));
        }
        finally
        {
            // Native memory: every buffer rented goes back, even when a later rent fails.
            foreach (var buffer in new[] { target, scratch, band })
            {
                if (buffer is not null)
                {
                    Buffers.Return(buffer);
                }
            }
        }
    }

    private static void ApplyQuality(VipsChain chain, Quality quality)
    {
        switch (quality)
        {
            case Quality.Gray:
                if (chain.Current.Interpretation != Interpretation.BW)
                {
                    chain.Then(chain.Current.Colourspace("b-w"));
                }

                break;
            case Quality.Bitonal:
                if (chain.Current.HasAlpha)
                {
                    chain.Then(chain.Current.Call("flatten", ("background", White)));
                }

                if (chain.Current.Interpretation != Interpretation.BW || chain.Current.Bands != 1)
                {
                    chain.Then(chain.Current.Colourspace("b-w"));
                }

                // Each pixel black or white: threshold at the middle grey (relational ops give 0 or 255).
                chain.Then(chain.Current.Call("relational_const", ("relational", "moreeq"), ("c", new double[] { 128 })));
                break;
        }
    }

    private static void Rotate(VipsChain chain, double degrees, ImageFormat format)
    {
        switch (degrees)
        {
            case 0:
                return;
            case 90:
                chain.Then(chain.Current.Rot("d90"));
                return;
            case 180:
                chain.Then(chain.Current.Rot("d180"));
                return;
            case 270:
                chain.Then(chain.Current.Rot("d270"));
                return;
        }

        // Arbitrary angles leave corners outside the picture: transparent where the format can say so, else black, the
        // colour the IIIF validator compares with (libvips' default background; the spec leaves it unspecified).
        double[] background;
        if (format is ImageFormat.Jpg or ImageFormat.Jp2 or ImageFormat.Pdf)
        {
            background = new double[chain.Current.Bands];
        }
        else
        {
            if (!chain.Current.HasAlpha)
            {
                chain.Then(chain.Current.Call("bandjoin_const", ("c", new double[] { 255 })));
            }

            background = new double[chain.Current.Bands];
        }

        // libvips' rotate, like IIIF, turns clockwise for positive angles (y points down).
        chain.Then(chain.Current.Call("rotate", ("angle", degrees), ("background", background)));
    }

    /// <param name="chain">The output-sized image.</param>
    /// <param name="format">The output format.</param>
    /// <param name="embed">An ICC profile to attach (<see cref="ColourPolicy.Embed"/>), or null.</param>
    /// <param name="jpegQuality">The plan's own JPEG quality (<see cref="ImagePlan.JpegQuality"/>), or null for the options'.</param>
    private byte[] Encode(VipsChain chain, ImageFormat format, byte[]? embed, int? jpegQuality)
    {
        var image = chain.Current;
        if (format is ImageFormat.Jpg or ImageFormat.Pdf && image.HasAlpha)
        {
            chain.Then(image.Call("flatten", ("background", White[..(image.Bands - 1 >= 3 ? 3 : 1)])));
            image = chain.Current;
        }

        return Encoders.Encode(image, format, jpegQuality is { } quality ? Options with { JpegQuality = quality } : Options, embed);
    }
}
