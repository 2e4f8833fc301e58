using Tessera.Core.Iiif;
using Tessera.Core.Planning;
using Tessera.Imaging.Colour;
using Tessera.Imaging.Sources;
using Tessera.Imaging.Tiff;
using Tessera.Vips;

namespace Tessera.Imaging.Rendering;

/// <summary>
/// The one place that decides which path answers a plan, and why (DESIGN §1: a fast path counts only if real inputs
/// stay on it, so the reason is reported with every image). From plan and source facts alone, no pixels:
/// <list type="number">
/// <item><see cref="RenderPath.StoredTile"/>: the plan is exactly one stored JPEG tile of a pyramid TIFF level, to be
/// sent as it is (tables merged in, an edge tile cropped). Needs neither libvips nor libturbojpeg.</item>
/// <item><see cref="RenderPath.JpegTiles"/>: the plan reads a level of JPEG tiles and writes JPEG with the colours as
/// stored, within the managed reducer's bounds: decoded and encoded by libjpeg-turbo directly.</item>
/// <item><see cref="RenderPath.Jpeg2000"/>: a JPEG 2000 source the direct decoder accepts (<see cref="SourceDescription.Jpeg2000"/>):
/// the planned level's window decoded by OpenJPEG, any output. Refused files, and windows over
/// <see cref="JpegTileRenderer.MaxRegionPixels"/> (decoded whole here, streamed by libvips), go to libvips.</item>
/// <item><see cref="RenderPath.Libvips"/>: everything else, with the first condition that ruled the others out.</item>
/// </list>
/// A stored tile that a redaction box reaches (<see cref="ImagePlan.Redactions"/>) is decoded instead, so the box is drawn.
/// Both JPEG tile paths need jpg out, default or colour quality, no rotation or mirroring, an upright source whose
/// colours can be handled on the way (<see cref="ColourFor"/>), and a tiled level of 8-bit grey, RGB or YCbCr JPEG
/// tiles. What can only be known from the bytes (a damaged or sparse tile) is not decided here: those paths decline
/// at run time and the next one renders.
/// </summary>
/// <param name="options">Whether the JPEG tile path is on, and the resampling kernel.</param>
/// <param name="lcms">Whether LittleCMS can be called; null to ask <see cref="ColourTransform.IsAvailable"/>.</param>
/// <param name="libjpegTurbo">Whether libturbojpeg can be called; null to ask <see cref="Vips.Jpeg.IsAvailable"/> when first needed.</param>
public sealed class RenderPathChooser(RenderOptions options, bool? libjpegTurbo = null, bool? lcms = null)
{
    /// <summary>The path for <paramref name="plan"/> of <paramref name="source"/>, and why.</summary>
    public RenderDecision Choose(ImagePlan plan, SourceDescription source)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(source);
        if (source.Loader == SourceLoader.Jpeg2000)
        {
            return ChooseJpeg2000(plan, source);
        }

        if (WhyNotJpegTiles(plan, source, out var directory, out var colour) is { } notTiles)
        {
            return new RenderDecision(RenderPath.Libvips, notTiles);
        }

        var decoded = WhyNotDecoded(plan, source, directory) is { } notDecoded
            ? new RenderDecision(RenderPath.Libvips, notDecoded)
            : new RenderDecision(RenderPath.JpegTiles, RenderReason.NotOneTile) { Directory = directory, Colour = colour };
        if (!IsOneStoredTile(plan, source, directory, out var column, out var row))
        {
            return decoded;
        }

        if (plan.JpegQuality is not null)
        {
            // The stored bytes are at the quality they were written with: another one asked for is a decode and encode.
            return decoded.Path == RenderPath.JpegTiles ? decoded with { Reason = RenderReason.JpegQuality } : decoded;
        }

        if (plan.Redactions.Count > 0 && Redactor.InWindow(plan, source, directory.ImageWidth, directory.ImageLength, LevelWindow.Of(plan.Region, directory.ImageWidth, directory.ImageLength, source.Info.Width, source.Info.Height, plan.IsFullRegion)).Count > 0)
        {
            // The stored bytes show what a redaction box hides: the tile is decoded and the box drawn (tiles clear of every box still pass through).
            return decoded.Path == RenderPath.JpegTiles ? decoded with { Reason = RenderReason.Redacted } : decoded;
        }

        if (colour == ColourHandling.Transform)
        {
            // The stored bytes are the source's colours: a converted tile is decoded, transformed and encoded.
            return decoded.Path == RenderPath.JpegTiles ? decoded with { Reason = RenderReason.ColourTransform } : decoded;
        }

        // An interior tile is a read of its bytes; an edge tile is re-coded to its cropped size.
        var edge = ((column + 1L) * directory.TileWidth > directory.ImageWidth) || ((row + 1L) * directory.TileLength > directory.ImageLength);
        return new RenderDecision(RenderPath.StoredTile, edge ? RenderReason.EdgeTile : RenderReason.Tile)
        {
            Directory = directory,
            Column = column,
            Row = row,
            Colour = colour,
            Fallback = decoded,
        };
    }

    /// <summary>The direct JPEG 2000 path for the plan's window of the planned level (reduction = level index), or libvips and why not.</summary>
    private RenderDecision ChooseJpeg2000(ImagePlan plan, SourceDescription source)
    {
        if (!options.Jpeg2000Direct)
        {
            return new RenderDecision(RenderPath.Libvips, RenderReason.Jpeg2000Off);
        }

        if (source.Jpeg2000 is not { } decoder)
        {
            return new RenderDecision(RenderPath.Libvips, RenderReason.Jpeg2000Refused);
        }

        // SourceInspector numbers JPEG 2000 levels by reduction (libvips' page); the decoder must see the same level.
        var level = plan.Level;
        var info = source.Info;
        if (level.Index >= decoder.Resolutions || decoder.LevelWidth(level.Index) != level.Width || decoder.LevelHeight(level.Index) != level.Height)
        {
            return new RenderDecision(RenderPath.Libvips, RenderReason.OutsideLevel);
        }

        var swap = info.SwapsAxes;
        var window = LevelWindow.Of(Orientation.ToStored(plan.Region, info), level.Width, level.Height, swap ? info.Height : info.Width, swap ? info.Width : info.Height, plan.IsFullRegion);
        if (window.X < 0 || window.Y < 0 || window.Width < 1 || window.Height < 1 || window.Right > level.Width || window.Bottom > level.Height)
        {
            return new RenderDecision(RenderPath.Libvips, RenderReason.OutsideLevel);
        }

        if ((long)window.Width * window.Height > JpegTileRenderer.MaxRegionPixels && !LevelOpener.IsHeldJpeg2000(level))
        {
            return new RenderDecision(RenderPath.Libvips, RenderReason.LargeRegion);
        }

        return new RenderDecision(RenderPath.Jpeg2000, RenderReason.Jpeg2000Window) { Window = window };
    }

    /// <summary>
    /// What the JPEG tile paths do with the source's colours, for tiles of <paramref name="bands"/> samples: nothing for
    /// sRGB (no profile, or an sRGB one); with another RGB or grey profile, attach it (<see cref="ColourPolicy.Embed"/>)
    /// or transform RGB to sRGB with the cached LittleCMS transform (<see cref="ColourPolicy.Convert"/>);
    /// <see cref="ColourHandling.Libvips"/> for what they cannot take (CMYK, a grey profile on colour tiles, no LittleCMS).
    /// The one colour condition of both JPEG tile paths.
    /// </summary>
    internal ColourHandling ColourFor(SourceDescription source, int bands)
    {
        if (source.IsSrgb)
        {
            return ColourHandling.AsStored;
        }

        var space = source.Profile!.ColourSpace;
        var fits = (space == IccColourSpace.Rgb && bands == 3) || (space == IccColourSpace.Gray && bands == 1);
        if (!fits)
        {
            return ColourHandling.Libvips;
        }

        if (options.Colour == ColourPolicy.Embed)
        {
            return ColourHandling.Embed;
        }

        return space == IccColourSpace.Rgb && (source.Profile.Shaper is not null || (lcms ?? ColourTransform.IsAvailable)) ? ColourHandling.Transform : ColourHandling.Libvips;
    }

    /// <summary>
    /// Why the plan cannot read the level's JPEG tiles at all (null when it can, with the level's directory): jpg out,
    /// default or colour quality, no rotation or mirroring, upright source whose colours are sent as stored, a tiled
    /// level of JPEG tiles (8-bit grey, RGB or YCbCr).
    /// </summary>
    private RenderReason? WhyNotJpegTiles(ImagePlan plan, SourceDescription source, out TiffDirectory directory, out ColourHandling colour)
    {
        directory = null!;
        colour = ColourHandling.Libvips;
        if (source.Loader != SourceLoader.Tiff)
        {
            return RenderReason.NotTiff;
        }

        if (plan.Format != ImageFormat.Jpg)
        {
            return RenderReason.NotJpgOut;
        }

        if (plan.Rotation != 0)
        {
            return RenderReason.Rotation;
        }

        if (plan.Mirror)
        {
            return RenderReason.Mirror;
        }

        if (plan.Quality is not (Quality.Default or Quality.Color))
        {
            return RenderReason.Quality;
        }

        if (source.Info.Orientation != 1)
        {
            return RenderReason.Orientation;
        }

        if (!plan.Level.IsTiled)
        {
            return RenderReason.NotTiled;
        }

        var found = source.TiffDirectories.FirstOrDefault(d => d.Page == plan.Level.Index);
        if (found is null || JpegTilePassthrough.GetIneligibility(found) is not null)
        {
            return RenderReason.NotJpegTiles;
        }

        colour = ColourFor(source, found.SamplesPerPixel);
        if (colour == ColourHandling.Libvips)
        {
            return RenderReason.IccProfile;
        }

        directory = found;
        return null;
    }

    /// <summary>Why the level's tiles cannot be decoded and encoded by libjpeg-turbo for this plan, or null when they can.</summary>
    private RenderReason? WhyNotDecoded(ImagePlan plan, SourceDescription source, TiffDirectory directory)
    {
        if (!options.JpegTiles)
        {
            return RenderReason.JpegTilesOff;
        }

        if (!(libjpegTurbo ?? Vips.Jpeg.IsAvailable))
        {
            return RenderReason.NoLibjpegTurbo;
        }

        var window = LevelWindow.Of(plan.Region, plan.Level.Width, plan.Level.Height, source.Info.Width, source.Info.Height, plan.IsFullRegion);
        return WhyNotDecoded(plan, directory, window, options);
    }

    /// <summary>
    /// Why the JPEG tile path does not take the plan's geometry, or null when it does: the <paramref name="window"/>
    /// (the plan's region in level pixels) inside the level, no upscaling, at most <see cref="JpegTileRenderer.MaxRegionPixels"/>
    /// read, and a reduction the managed reducer makes (its kernel, at most <see cref="JpegTileRenderer.MaxReduction"/>
    /// per axis; steeper ones libvips box-shrinks first). <c>JpegTileRenderer.TryRender</c> asks it again
    /// before it sizes any buffer.
    /// </summary>
    internal static RenderReason? WhyNotDecoded(ImagePlan plan, TiffDirectory directory, PixelRect window, RenderOptions options)
    {
        int width = plan.Width, height = plan.Height;
        var reduces = width != window.Width || height != window.Height;
        if (window.X < 0 || window.Y < 0 || window.Width < 1 || window.Height < 1 || window.Right > directory.ImageWidth || window.Bottom > directory.ImageLength)
        {
            return RenderReason.OutsideLevel;
        }

        if (width > window.Width || height > window.Height)
        {
            return RenderReason.Upscale;
        }

        if ((long)window.Width * window.Height > JpegTileRenderer.MaxRegionPixels)
        {
            return RenderReason.LargeRegion;
        }

        if (reduces && !Reducer.Supports(options.Kernel))
        {
            return RenderReason.Kernel;
        }

        if (reduces && (window.Width > width * JpegTileRenderer.MaxReduction || window.Height > height * JpegTileRenderer.MaxReduction))
        {
            return RenderReason.SteepReduction;
        }

        return null;
    }

    /// <summary>Whether the plan is exactly one stored tile of the level (<paramref name="directory"/>), and which.</summary>
    private static bool IsOneStoredTile(ImagePlan plan, SourceDescription source, TiffDirectory directory, out int column, out int row)
    {
        (column, row) = (0, 0);
        var info = source.Info;
        var found = directory;

        // Pyramid levels halve the level above (rounding either way), so level k maps full-resolution pixels
        // [i·2^k, (i+1)·2^k) to pixel i: the IIIF tile grid at scale factor 2^k is the stored grid.
        var scale = 1;
        while (scale < 1 << 20 && Math.Abs((info.Width / (double)(scale * 2)) - found.ImageWidth) < Math.Abs((info.Width / (double)scale) - found.ImageWidth))
        {
            scale *= 2;
        }

        if (Math.Abs((info.Width / (double)scale) - found.ImageWidth) >= 1 || Math.Abs((info.Height / (double)scale) - found.ImageLength) >= 1)
        {
            return false;
        }

        var spanX = found.TileWidth * scale;
        var spanY = found.TileLength * scale;
        var region = plan.Region;
        if (region.X % spanX != 0 || region.Y % spanY != 0)
        {
            return false;
        }

        column = region.X / spanX;
        row = region.Y / spanY;
        return JpegTilePassthrough.TryGetTileGeometry(found, column, row, out var tile)
            && region.Right == Math.Min(region.X + spanX, info.Width) && region.Bottom == Math.Min(region.Y + spanY, info.Height)
            && tile.Width == plan.Width && tile.Height == plan.Height;
    }
}
