using Tessera.Core.Planning;
using Tessera.Imaging.Colour;
using Tessera.Imaging.Tiff;
using Tessera.Vips;

namespace Tessera.Imaging.Sources;

/// <summary>
/// Reads the facts of a source from its header (no pixels are decoded): size, EXIF orientation, alpha, and the
/// directly readable resolutions: TIFF pyramid pages, JPEG shrink-on-load factors, JPEG 2000 reductions, a slide's
/// levels. A multi-page source (PDF, TIFF of several images, HEIF of several images, a slide with associated images)
/// is inspected a page at a time (<see cref="PageIdentifier"/>); PDF and slides in <see cref="PageSources"/>.
/// </summary>
public static class SourceInspector
{
    private const int MaxLevels = 24;

    /// <summary>The facts of page <paramref name="page"/> (from 0) of the source, its header judged against <paramref name="limits"/> where only the loader can read it.</summary>
    /// <exception cref="VipsException">The file is not an image of the kinds served, its header is corrupt or its data incomplete (<see cref="SourceIntegrity"/>).</exception>
    /// <exception cref="SourceRefusedException">No such page (404), or the page's header declares more than <paramref name="limits"/> allow (413).</exception>
    public static SourceDescription Inspect(ResolvedSource source, int page = 0, SourceLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegative(page);
        limits ??= SourceLimits.Default;
        // Every read below is of the file the request checked: managed readers share this handle (positioned reads),
        // each libvips load gets a descriptor of its own (ResolvedSource.Load), OpenJPEG checks its own open.
        using var file = source.OpenVerified();
        var loaderName = LoaderChoice.Choose(source.Path, file);
        using var errors = VipsErrorScope.Begin(source.Path, loaderName);
        var loader = loaderName switch
        {
            "tiffload" => SourceLoader.Tiff,
            "jpegload" => SourceLoader.Jpeg,
            "jp2kload" => SourceLoader.Jpeg2000,
            "pdfload" => SourceLoader.Pdf,
            "openslideload" => SourceLoader.Slide,
            _ => SourceLoader.Other,
        };

        return loader switch
        {
            SourceLoader.Pdf => PageSources.InspectPdf(source, page, limits),
            SourceLoader.Slide => PageSources.InspectSlide(source, page, limits),
            _ => InspectImage(source, file, loaderName, loader, page, limits),
        };
    }

    private static SourceDescription InspectImage(ResolvedSource source, Microsoft.Win32.SafeHandles.SafeFileHandle file, string loaderName, SourceLoader loader, int page, SourceLimits limits)
    {
        // A TIFF's pages are its images, each with its own reduced levels: the directories say where each begins.
        var directories = loader == SourceLoader.Tiff ? ReadDirectories(file) : [];
        var tiffPages = loader == SourceLoader.Tiff ? PageSources.TiffPages(directories) : [0];
        var first = 0;
        if (loader == SourceLoader.Tiff)
        {
            NoSuchPage(page, tiffPages.Count);
            first = tiffPages[page];
            if (page > 0 && limits.Refuse(PageSources.TiffHeader(directories.First(d => d.Page == first))) is { } reason)
            {
                throw new SourceRefusedException(413, reason);
            }
        }

        // Only a HEIF's images are pages: the frames of an animated GIF or WebP are not.
        using var image = loader == SourceLoader.Tiff
            ? source.Load(loaderName, ("page", first), ("access", "sequential"), ("fail_on", "truncated"))
            : loaderName == "heifload" && page > 0
                ? LoadHeifPage(source, page)
                : source.Load(loaderName, ("access", "sequential"), ("fail_on", "truncated"));
        var pageCount = loader == SourceLoader.Tiff ? tiffPages.Count : loaderName == "heifload" ? Math.Max(1, image.PageCount) : 1;
        NoSuchPage(page, pageCount);
        var width = image.Width;
        var height = image.Height;
        if (loader == SourceLoader.Other && image.PageCount > 1 && image.GetInt("page-height") is { } pageHeight && pageHeight > 0)
        {
            // Animated GIF/WebP and multi-image HEIF: the first frame (or the page asked for) is the image.
            height = Math.Min(height, pageHeight);
        }

        var orientation = image.GetInt("orientation") is { } o and >= 1 and <= 8 ? o : 1;
        if (SourceIntegrity.Check(file, loaderName, directories) is { } damage)
        {
            throw new VipsException(damage);
        }

        if (loaderName == "jxlload")
        {
            // A bare JPEG XL codestream declares no length to check against the file's (PDF and HEIF do: poppler and
            // libheif refuse a cut file at its header): decode it once here, whole, as every render of it does anyway
            // (one level, decoded whole, within the same header limits), so a cut one is an error for info.json too,
            // not a description whose every image is then a 500. Described once per file version (SourceCatalog).
            _ = image.Average();
        }

        var last = page + 1 < tiffPages.Count ? tiffPages[page + 1] : int.MaxValue;
        var levels = loader switch
        {
            SourceLoader.Tiff => TiffLevels(source, first, Math.Min(last, image.PageCount), width, height, directories),
            SourceLoader.Jpeg => ShrinkLevels(width, height, 3),
            SourceLoader.Jpeg2000 => Jpeg2000Levels(source, width, height),
            _ => [new PyramidLevel(0, width, height)],
        };

        var swap = orientation >= 5;
        var info = new SourceInfo(swap ? height : width, swap ? width : height, levels, orientation, image.HasAlpha);
        var (jpeg2000, refusal) = loader == SourceLoader.Jpeg2000 ? OpenJpeg2000(source) : (null, null);
        return new SourceDescription(source, info, loader, loaderName)
        {
            TiffDirectories = directories,
            Jpeg2000 = jpeg2000,
            Jpeg2000Refusal = refusal,
            Profile = image.GetBlob("icc-profile-data") is { } profile ? IccProfile.TryParse(profile) : null,
            Page = page,
            PageCount = pageCount,
        };
    }

    /// <summary>Image <paramref name="page"/> (from 0, past the first) of a HEIF: past the end is a 404, told by the count of one more open, only on failure.</summary>
    private static VipsImage LoadHeifPage(ResolvedSource source, int page)
    {
        try
        {
            return source.Load("heifload", ("page", page), ("access", "sequential"), ("fail_on", "truncated"));
        }
        catch (VipsException)
        {
            using var first = source.Load("heifload", ("access", "sequential"), ("fail_on", "truncated"));
            NoSuchPage(page, Math.Max(1, first.PageCount));
            throw;
        }
    }

    /// <summary>Refuses <paramref name="page"/> (from 0) past the last of <paramref name="count"/> with a 404.</summary>
    internal static void NoSuchPage(int page, int count)
    {
        if (page >= count)
        {
            throw new SourceRefusedException(404, count == 1
                ? $"it has one page, not {page + 1}"
                : $"it has {count} pages, not {page + 1}");
        }
    }

    private static List<PyramidLevel> ShrinkLevels(int width, int height, int count)
    {
        var levels = new List<PyramidLevel> { new(0, width, height) };
        for (var i = 1; i <= count; i++)
        {
            var shrink = 1 << i;
            if (width / shrink < 1 || height / shrink < 1)
            {
                break;
            }

            levels.Add(new PyramidLevel(i, (width + shrink - 1) / shrink, (height + shrink - 1) / shrink));
        }

        return levels;
    }

    /// <summary>The main-chain directories, or none when our stricter reader refuses a file libvips accepted (then it is served untiled).</summary>
    private static IReadOnlyList<TiffDirectory> ReadDirectories(Microsoft.Win32.SafeHandles.SafeFileHandle file)
    {
        try
        {
            return [.. TiffDirectoryReader.Read(file).Where(d => !d.IsSubIfd)];
        }
        catch (TiffFormatException)
        {
            return [];
        }
    }

    /// <summary>The levels of the TIFF image whose full resolution is directory <paramref name="first"/>: it and the smaller copies that follow, before <paramref name="end"/>.</summary>
    private static List<PyramidLevel> TiffLevels(ResolvedSource source, int first, int end, int width, int height, IReadOnlyList<TiffDirectory> directories)
    {
        var tiles = directories.Where(d => d.IsTiled).ToDictionary(d => d.Page, d => (Width: d.TileWidth, Height: d.TileLength));
        var levels = new List<PyramidLevel> { new(first, width, height, tiles.GetValueOrDefault(first).Width, tiles.GetValueOrDefault(first).Height) };
        var previousWidth = width;
        for (var page = first + 1; page < Math.Min(end, first + MaxLevels); page++)
        {
            // A page not smaller than the one before ends the pyramid unopened: its header may be a bomb's (libtiff
            // allocates on the claim), and only the first page's was judged against the limits.
            if (directories.FirstOrDefault(d => d.Page == page) is { } next && next.ImageWidth >= previousWidth)
            {
                break;
            }

            using var level = source.Load("tiffload", ("page", page), ("access", "sequential"), ("fail_on", "truncated"));

            // A pyramid page is a smaller copy of the same picture; anything else (a scan's second side, a mask)
            // is another image and ends the pyramid.
            var aspect = Math.Abs(((double)level.Width / level.Height) - ((double)width / height));
            if (level.Width >= previousWidth || aspect > 0.02 * width / height + 2.0 / level.Height)
            {
                break;
            }

            levels.Add(new PyramidLevel(page, level.Width, level.Height, tiles.GetValueOrDefault(page).Width, tiles.GetValueOrDefault(page).Height));
            previousWidth = level.Width;
        }

        return levels;
    }

    /// <summary>
    /// The direct decoder of a JPEG 2000 source (its header read again by OpenJPEG, about 0.15 ms), or why there is none:
    /// a kind it refuses, OpenJPEG 2.5 missing, or a header OpenJPEG cannot read (libvips then reports the damage).
    /// </summary>
    private static (Jpeg2000Decoder? Decoder, string? Refusal) OpenJpeg2000(ResolvedSource source)
    {
        try
        {
            return Jpeg2000Decoder.TryOpen(source.Path, out var decoder, out var refusal, expected: source.Status) ? (decoder, null) : (null, refusal);
        }
        catch (Jpeg2000Exception e)
        {
            return (null, e.Message);
        }
    }

    private static List<PyramidLevel> Jpeg2000Levels(ResolvedSource source, int width, int height)
    {
        var levels = new List<PyramidLevel> { new(0, width, height) };
        for (var page = 1; page < 8; page++)
        {
            var shrink = 1 << page;
            if (width / shrink < 64 && height / shrink < 64)
            {
                break;
            }

            try
            {
                using var level = source.Load("jp2kload", ("page", page), ("fail_on", "truncated"));
                levels.Add(new PyramidLevel(page, level.Width, level.Height));
            }
            catch (VipsException)
            {
                // Fewer decomposition levels than asked for: that is the end of the pyramid.
                break;
            }
        }

        return levels;
    }
}
