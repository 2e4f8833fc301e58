using System.Globalization;
using Tessera.Core.Planning;
using Tessera.Imaging.Tiff;
using Tessera.Vips;

namespace Tessera.Imaging.Sources;

/// <summary>
/// The sources made of pages: where a multi-image TIFF's pages begin, and the inspection of PDF pages (poppler) and
/// whole slides (OpenSlide: the slide, then its associated images, see <see cref="InspectSlide"/>). Every size here comes from a header (a PDF page's MediaBox scaled to the DPI, a slide's
/// level properties, a TIFF directory) and is judged against the limits before anything is rendered.
/// </summary>
internal static class PageSources
{
    /// <summary>Pages of a TIFF counted at most (a directory chain of 10,000 scans still lists in one read).</summary>
    public const int MaxTiffPages = 10_000;

    /// <summary>Levels a PDF page is offered at: the DPI, then halved while the page stays over 256 px.</summary>
    private const int MaxPdfLevels = 8;

    /// <summary>
    /// The main-chain directory each image of a TIFF begins at: the first, and every later one that is not a reduced
    /// level of the image before. When any directory carries NewSubfileType's reduced-resolution bit, the bits decide
    /// (libvips, libtiff's tools and most scanners set them); otherwise a smaller copy of the same aspect is a level.
    /// </summary>
    public static IReadOnlyList<int> TiffPages(IReadOnlyList<TiffDirectory> directories)
    {
        var main = directories.Where(d => !d.IsSubIfd).OrderBy(d => d.Page).ToList();
        if (main.Count == 0)
        {
            return [0];
        }

        var flagged = main.Any(d => d.IsReducedResolution);
        var starts = new List<int> { main[0].Page };
        TiffDirectory top = main[0], previous = main[0];
        foreach (var directory in main.Skip(1))
        {
            var level = flagged ? directory.IsReducedResolution : IsSmallerCopy(directory, previous, top);
            if (!level)
            {
                if (starts.Count == MaxTiffPages)
                {
                    break;
                }

                starts.Add(directory.Page);
                top = directory;
            }

            previous = directory;
        }

        return starts;
    }

    private static bool IsSmallerCopy(TiffDirectory directory, TiffDirectory previous, TiffDirectory top)
    {
        if (directory.ImageWidth >= previous.ImageWidth || directory.ImageLength <= 0 || top.ImageLength <= 0)
        {
            return false;
        }

        var ratio = (double)top.ImageWidth / top.ImageLength;
        var aspect = Math.Abs(((double)directory.ImageWidth / directory.ImageLength) - ratio);
        return aspect <= (0.02 * ratio) + (2.0 / directory.ImageLength);
    }

    /// <summary>What a TIFF page's own directory declares (only the first page's header was read before libvips opened the file).</summary>
    public static SourceHeader TiffHeader(TiffDirectory directory)
    {
        var bits = directory.BitsPerSample.IsDefaultOrEmpty ? 8 : directory.BitsPerSample.Max();
        var pixelBytes = HeaderProbe.Multiply(Math.Max(1, directory.SamplesPerPixel), Math.Max(1, (bits + 7) / 8));
        long width = directory.ImageWidth, height = directory.ImageLength;
        if (directory.IsTiled)
        {
            return new SourceHeader("tiled TIFF page", width, height, SourceDecoding.Tiled, HeaderProbe.Multiply(directory.TileWidth, directory.TileLength, pixelBytes));
        }

        var strips = Math.Max(1, directory.TileOffsets.Length);
        var rows = (height + strips - 1) / strips;
        var whole = strips == 1 && directory.Compression != 1;
        return new SourceHeader(whole ? "TIFF page in one strip" : "TIFF page in strips", width, height, whole ? SourceDecoding.Whole : SourceDecoding.Sequential, HeaderProbe.Multiply(width, whole ? height : Math.Min(rows, 256), pixelBytes));
    }

    /// <summary>
    /// Page <paramref name="page"/> of a PDF: its size at <see cref="SourceLimits.PdfDpi"/> from poppler's reading of the
    /// MediaBox (libvips' header: nothing is rendered), refused over the limits; its levels are the same page at half
    /// the DPI, a quarter, ..., which poppler renders directly (a thumbnail never renders the page at full size).
    /// The page count is the document's, from the same header: one open a page, however many pages the PDF has.
    /// </summary>
    public static SourceDescription InspectPdf(ResolvedSource source, int page, SourceLimits limits)
    {
        var dpi = limits.PdfDpi;
        int count, width, height;
        bool alpha;
        VipsImage image;
        try
        {
            image = LoadPdf(source, page, dpi);
        }
        catch (VipsException) when (page > 0)
        {
            // Past the end, or damage: the document's count tells which (one more open, only on failure).
            using var first = LoadPdf(source, 0, dpi);
            SourceInspector.NoSuchPage(page, PdfPageCount(first));
            throw;
        }

        using (image)
        {
            (count, width, height, alpha) = (PdfPageCount(image), image.Width, image.Height, image.HasAlpha);
        }

        // poppler renders the regions libvips asks for (small tiles), each on its own surface.
        var header = new SourceHeader("PDF page", width, height, SourceDecoding.Tiled, HeaderProbe.Multiply(Math.Min(width, 512), Math.Min(height, 512), 4));
        if (limits.Refuse(header) is { } reason)
        {
            throw new SourceRefusedException(413, reason);
        }

        var levels = new List<PyramidLevel> { new(0, width, height) };
        for (var level = 1; level < MaxPdfLevels && Math.Max(levels[^1].Width, levels[^1].Height) > 512; level++)
        {
            // The size poppler gives at that DPI, read rather than computed, so a level is exactly what it renders.
            using var smaller = LoadPdf(source, page, dpi / (1 << level));
            levels.Add(new PyramidLevel(level, smaller.Width, smaller.Height));
        }

        var info = new SourceInfo(width, height, levels, 1, alpha);
        return new SourceDescription(source, info, SourceLoader.Pdf, "pdfload") { Page = page, PageCount = count, Dpi = dpi, Header = header };
    }

    /// <summary>The document's page count: poppler's, as libvips' own count stops believing counts from 10,000 up.</summary>
    private static int PdfPageCount(VipsImage image) => Math.Max(1, image.GetInt("pdf-n_pages") ?? image.PageCount);

    /// <summary>One PDF page, header only until its pixels are asked for.</summary>
    public static VipsImage LoadPdf(ResolvedSource source, int page, double dpi) =>
        source.Load("pdfload", ("page", page), ("dpi", dpi), ("fail_on", "truncated"));

    /// <summary>
    /// A whole slide: page 1 is the slide, with OpenSlide's levels as its pyramid, and the manifest's facts a chosen few
    /// of OpenSlide's properties; pages 2, 3, ... are its associated images (label, macro, thumbnail, in OpenSlide's
    /// order, the order the facts name them), each one level, read with OpenSlide directly (<see cref="OpenSlideFile"/>):
    /// libvips 8.14.1's <c>openslideload</c> crashes the process reading their pixels (a segfault in
    /// <c>openslide_get_error</c> under the associated image's generate function), and no limit can stop a crash.
    /// </summary>
    public static SourceDescription InspectSlide(ResolvedSource source, int page, SourceLimits limits)
    {
        var associated = AssociatedImageNames(source.Path);
        SourceInspector.NoSuchPage(page, 1 + associated.Count);
        if (page > 0)
        {
            return InspectAssociated(source, page, associated, limits);
        }

        using var slide = LoadSlide(source.Path, 0);
        var levels = new List<PyramidLevel>();
        var count = Math.Clamp(Property(slide, "openslide.level-count") ?? 1, 1, 32);
        for (var level = 0; level < count; level++)
        {
            var width = Property(slide, $"openslide.level[{level}].width") ?? (level == 0 ? slide.Width : 0);
            var height = Property(slide, $"openslide.level[{level}].height") ?? (level == 0 ? slide.Height : 0);
            if (width < 1 || height < 1 || (levels.Count > 0 && width >= levels[^1].Width))
            {
                break;
            }

            var tileWidth = Property(slide, $"openslide.level[{level}].tile-width") ?? 0;
            var tileHeight = Property(slide, $"openslide.level[{level}].tile-height") ?? 0;
            levels.Add(new PyramidLevel(level, width, height, tileWidth, tileHeight));
        }

        var properties = SlideProperties(slide, levels[0], levels.Count, [.. associated]);
        var tile = levels[0].IsTiled ? HeaderProbe.Multiply(levels[0].TileWidth, levels[0].TileHeight, 4) : HeaderProbe.Multiply(Math.Min(levels[0].Width, 512), Math.Min(levels[0].Height, 512), 4);
        var header = new SourceHeader("whole slide", levels[0].Width, levels[0].Height, SourceDecoding.Tiled, tile);
        if (limits.Refuse(header) is { } reason)
        {
            throw new SourceRefusedException(413, reason);
        }

        var info = new SourceInfo(levels[0].Width, levels[0].Height, levels, 1, false);
        return new SourceDescription(source, info, SourceLoader.Slide, "openslideload") { Header = header, Properties = properties, PageCount = 1 + associated.Count };
    }

    /// <summary>Associated images served as pages at most (vendors write three at most; the rest stay unnamed).</summary>
    public const int MaxAssociatedImages = 8;

    /// <summary>The slide's associated images, in OpenSlide's order, as many as are served.</summary>
    private static List<string> AssociatedImageNames(string path)
    {
        using var slide = OpenSlide(path);
        return [.. slide.AssociatedImageNames.Take(MaxAssociatedImages)];
    }

    /// <summary>
    /// Associated image <paramref name="page"/> − 1 of the slide: its size from the slide's directory (nothing decoded),
    /// judged against the limits as an image decoded whole (OpenSlide reads it in one call: ARGB words, then RGB).
    /// </summary>
    private static SourceDescription InspectAssociated(ResolvedSource source, int page, IReadOnlyList<string> associated, SourceLimits limits)
    {
        var name = associated[page - 1];
        long width, height;
        using (var slide = OpenSlide(source.Path))
        {
            try
            {
                (width, height) = slide.AssociatedImageSize(name);
            }
            catch (OpenSlideException e)
            {
                throw new VipsException(e.Message, e);
            }
        }

        var header = new SourceHeader($"slide's {name} image", width, height, SourceDecoding.Whole, HeaderProbe.Multiply(width, height, 7));
        if (limits.Refuse(header) is { } reason)
        {
            throw new SourceRefusedException(413, reason);
        }

        var info = new SourceInfo((int)width, (int)height, [new PyramidLevel(0, (int)width, (int)height)], 1, false);
        return new SourceDescription(source, info, SourceLoader.Slide, "openslide") { Header = header, Page = page, PageCount = 1 + associated.Count, PageName = name };
    }

    /// <summary>
    /// The pixels of an associated image page (<see cref="InspectAssociated"/>), read whole by OpenSlide, as RGB: read
    /// by path, as the slide's levels are, and refused when it has grown past the size the page was described with.
    /// </summary>
    /// <exception cref="VipsException">OpenSlide could not read it (damaged, truncated, replaced by something else).</exception>
    public static VipsImage LoadAssociated(SourceDescription page)
    {
        var name = page.PageName ?? throw new ArgumentException($"Expected an associated image page of a slide but received page {page.Page + 1} of {page.Source.Path}", nameof(page));
        using var slide = OpenSlide(page.Source.Path);
        try
        {
            return slide.ReadAssociatedImage(name, (long)page.Info.Width * page.Info.Height);
        }
        catch (OpenSlideException e)
        {
            throw new VipsException(e.Message, e);
        }
    }

    /// <summary>The slide opened by OpenSlide directly; its failures are a 500 for the request, as libvips' are.</summary>
    private static OpenSlideFile OpenSlide(string path)
    {
        try
        {
            return OpenSlideFile.Open(path);
        }
        catch (OpenSlideException e)
        {
            throw new VipsException(e.Message, e);
        }
    }

    /// <summary>
    /// A slide's level as RGB (OpenSlide gives premultiplied RGBA over a transparent background where nothing was scanned).
    /// The one source read by path: OpenSlide opens its files by name (a MIRAX slide is a folder of them) and reopens
    /// them as it reads, so it cannot be handed a checked descriptor; what it read is still thrown away when the path
    /// is no longer the version checked (the pipeline's check after every read).
    /// </summary>
    public static VipsImage LoadSlide(string path, int level) =>
        VipsImage.LoadFile("openslideload", path, ("level", level), ("rgb", true), ("fail_on", "truncated"));

    /// <summary>
    /// The manifest's facts of a slide, a bounded and chosen set (vendors put hundreds of properties, some private):
    /// scanner vendor, microns per pixel, objective power, size, levels, associated images.
    /// </summary>
    private static List<KeyValuePair<string, string>> SlideProperties(VipsImage slide, PyramidLevel full, int levels, IReadOnlyList<string> associated)
    {
        var properties = new List<KeyValuePair<string, string>>();
        void Add(string label, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                properties.Add(new(label, value.Length > 200 ? value[..200] : value));
            }
        }

        Add("Scanner vendor", slide.GetString("openslide.vendor"));
        Add("Microns per pixel (x)", slide.GetString("openslide.mpp-x"));
        Add("Microns per pixel (y)", slide.GetString("openslide.mpp-y"));
        Add("Objective power", slide.GetString("openslide.objective-power"));
        Add("Dimensions", string.Create(CultureInfo.InvariantCulture, $"{full.Width} × {full.Height} pixels"));
        Add("Levels", levels.ToString(CultureInfo.InvariantCulture));
        Add("Associated images", string.Join(", ", associated));
        return properties;
    }

    /// <summary>An integer OpenSlide property (libvips copies them as string fields), or null when absent or not a number.</summary>
    private static int? Property(VipsImage slide, string name) =>
        slide.GetString(name) is { } text && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
