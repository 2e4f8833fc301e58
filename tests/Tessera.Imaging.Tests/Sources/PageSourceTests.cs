using Tessera.Imaging.Batch;
using Tessera.Imaging.Rendering;
using Tessera.Imaging.Sources;
using Tessera.Testing;
using Tessera.Vips;

namespace Tessera.Imaging.Tests.Sources;

/// <summary>
/// Page identifiers, the JPEG XL header, and the catalog's pages of real files: PDF, multi-image TIFF and HEIF,
/// a generic slide, and the limits judged per page.
/// </summary>
public sealed class PageSourceTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("tessera-pagesrc-").FullName;

    public PageSourceTests()
    {
        BatchPipeline.ConfigureVips(1);
        ImagingRuntime.Start();
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("a.pdf", "a.pdf", 1, false)]
    [InlineData("a.pdf;1", "a.pdf", 1, true)]
    [InlineData("dir/a.pdf;12", "dir/a.pdf", 12, true)]
    [InlineData("a;b.jpg", "a;b.jpg", 1, false)]
    [InlineData("a;b/c.tif", "a;b/c.tif", 1, false)]
    public void A_page_suffix_is_split_from_the_identifier(string identifier, string expectedBase, int number, bool suffixed)
    {
        Assert.True(PageIdentifier.Parse(identifier).TryGetValue(out var page, out _));
        Assert.Equal((identifier, expectedBase, number, suffixed), (page.Identifier, page.Base, page.Number, page.Suffixed));
    }

    [Theory]
    [InlineData("a.pdf;0")]
    [InlineData("a.pdf;-1")]
    [InlineData("a.pdf;abc")]
    [InlineData("a.pdf;")]
    [InlineData("a.pdf; 2")]
    [InlineData(";2")]
    public void A_suffix_that_is_no_page_number_is_a_400_naming_it(string identifier)
    {
        Assert.False(PageIdentifier.Parse(identifier).TryGetValue(out _, out var error));
        Assert.Equal(400, error.Status);
        Assert.Contains("Expected a page number from 1", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(640)]
    [InlineData(333)]
    [InlineData(17)]
    public void The_jpeg_xl_header_gives_the_size_libjxl_reads(int width)
    {
        var path = PageFiles.Jxl(_root, $"w{width}.jxl", width);
        using var image = VipsImage.LoadFile("jxlload", path);
        var header = HeaderProbe.Read(path);
        Assert.Equal("JPEG XL", header.Format);
        Assert.Equal((image.Width, image.Height), ((int)header.Width, (int)header.Height));
        Assert.Equal("jxlload", LoaderChoice.Choose(path));
    }

    [Fact]
    public void A_jpeg_xl_declaring_65535_squared_is_refused_from_its_header()
    {
        var header = HeaderProbe.Read(PageFiles.JxlBomb(_root));
        Assert.Equal((65535L, 65535L), (header.Width, header.Height));
        Assert.Contains("MaxDecodeMegabytes", SourceLimits.Default.Refuse(header), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.95)]
    public void A_cut_jpeg_xl_is_an_error_when_described_not_only_when_rendered(double fraction)
    {
        PageFiles.Truncated(PageFiles.Jxl(_root), "cut.jxl", fraction);
        var catalog = new SourceCatalog(new FileSystemSourceResolver(_root));
        Assert.True(catalog.Describe("photo.jxl").TryGetValue(out _, out var error), error?.Message);
        Assert.False(catalog.Describe("cut.jxl").TryGetValue(out _, out error));
        Assert.Equal(500, error.Status);
    }

    [Fact]
    public void A_multi_image_tiff_has_one_page_per_image_and_a_pyramid_has_one()
    {
        PageFiles.MultiPageTiff(_root, "scans.tif", 3);
        PageFiles.GenericSlide(_root, "pyramid.tif");
        var catalog = new SourceCatalog(new FileSystemSourceResolver(_root));
        Assert.True(catalog.Describe("scans.tif;3").TryGetValue(out var third, out var error), error?.Message);
        Assert.Equal((3, 2, 2), (third.PageCount, third.Page, third.Info.Levels[0].Index));
        Assert.True(catalog.Describe("pyramid.tif").TryGetValue(out var pyramid, out error), error?.Message);
        Assert.Equal(1, pyramid.PageCount);
        Assert.True(pyramid.Info.Levels.Count >= 4);
        Assert.False(catalog.Describe("pyramid.tif;2").TryGetValue(out _, out error));
        Assert.Equal(404, error.Status);
    }

    [Fact]
    public void Pdf_pages_are_sized_at_the_dpi_with_halved_levels_and_a_huge_mediabox_is_413()
    {
        PageFiles.Pdf(_root, "doc.pdf", 2, 595, 842);
        PageFiles.HugePagePdf(_root);
        var catalog = new SourceCatalog(new FileSystemSourceResolver(_root), limits: SourceLimits.Default with { PdfDpi = 150 });
        Assert.True(catalog.Describe("doc.pdf;2").TryGetValue(out var page, out var error), error?.Message);
        Assert.Equal((1240, 1754, 2), (page.Info.Width, page.Info.Height, page.PageCount));
        Assert.Equal(new[] { 1240, 620, 310 }, page.Info.Levels.Select(l => l.Width));
        Assert.False(catalog.Describe("huge-page.pdf").TryGetValue(out _, out error));
        Assert.Equal(413, error.Status);
        Assert.Contains("MaxSourcePixels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_slide_has_openslides_levels_and_chosen_properties()
    {
        PageFiles.GenericSlide(_root, "slide.svs");
        var catalog = new SourceCatalog(new FileSystemSourceResolver(_root));
        Assert.True(catalog.Describe("slide.svs").TryGetValue(out var slide, out var error), error?.Message);
        Assert.Equal(SourceLoader.Slide, slide.Loader);
        Assert.Equal(new[] { 2000, 1000, 500, 250 }, slide.Info.Levels.Take(4).Select(l => l.Width));
        Assert.Contains(slide.Properties, p => p.Key == "Scanner vendor" && p.Value == "generic-tiff");
        Assert.False(slide.Info.HasAlpha);
    }

    [Fact]
    public void An_aperio_slide_gives_its_vendor_facts_and_its_associated_images_as_pages()
    {
        PageFiles.AperioSlide(_root);
        var catalog = new SourceCatalog(new FileSystemSourceResolver(_root));
        Assert.True(catalog.Describe("aperio.svs").TryGetValue(out var slide, out var error), error?.Message);
        var facts = slide.Properties.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("aperio", facts["Scanner vendor"]);
        Assert.Equal("20", facts["Objective power"]);
        Assert.Equal("0.499", facts["Microns per pixel (x)"]);
        Assert.Equal("label, macro", facts["Associated images"]);
        Assert.Equal(3, slide.PageCount);

        var opener = new LevelOpener();
        foreach (var (identifier, name) in new[] { ("aperio.svs;2", "label"), ("aperio.svs;3", "macro") })
        {
            Assert.True(catalog.Describe(identifier).TryGetValue(out var page, out error), error?.Message);
            Assert.Equal((name, 3, 120, 80, 1), (page.PageName, page.PageCount, page.Info.Width, page.Info.Height, page.Info.Levels.Count));
            using var pixels = opener.Open(page, page.Info.Levels[0]);
            using var expected = VipsOperation.Image("thumbnail", ("filename", Samples.PathOf(Samples.Sunset)), ("width", 120));
            using var difference = VipsOperation.Image("subtract", ("left", pixels), ("right", expected)).Call("abs");
            Assert.Equal(0, (double)VipsOperation.Run("max", [new("in", difference)], ["out"])[0]!);
        }

        Assert.False(catalog.Describe("aperio.svs;4").TryGetValue(out _, out error));
        Assert.Equal((404, true), (error.Status, error.Message.Contains("it has 3 pages, not 4", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_philips_tiff_is_read_as_a_slide_by_its_software_tag_with_levels_facts_and_pages()
    {
        PageFiles.PhilipsSlide(_root);
        PageFiles.GenericSlide(_root, "plain.tiff");
        Assert.Equal("openslideload", LoaderChoice.Choose(Path.Combine(_root, "philips.tiff")));
        Assert.Equal("tiffload", LoaderChoice.Choose(Path.Combine(_root, "plain.tiff")));

        var catalog = new SourceCatalog(new FileSystemSourceResolver(_root));
        Assert.True(catalog.Describe("philips.tiff").TryGetValue(out var slide, out var error), error?.Message);
        Assert.Equal(SourceLoader.Slide, slide.Loader);
        Assert.Equal(new[] { 2000, 1000, 500, 250 }, slide.Info.Levels.Take(4).Select(l => l.Width));
        var facts = slide.Properties.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(("philips", "0.25", "0.25", "label, macro"), (facts["Scanner vendor"], facts["Microns per pixel (x)"], facts["Microns per pixel (y)"], facts["Associated images"]));
        Assert.Equal(3, slide.PageCount);

        // The label is a JPEG in the XML: OpenSlide decodes it, the page is its size.
        Assert.True(catalog.Describe("philips.tiff;2").TryGetValue(out var label, out error), error?.Message);
        using var pixels = new LevelOpener().Open(label, label.Info.Levels[0]);
        Assert.Equal(("label", 120, 80), (label.PageName, pixels.Width, pixels.Height));

        // The slide's own level through libvips' openslideload: the photograph, not a blank.
        using var level = new LevelOpener().Open(slide, slide.Info.Levels[2]);
        Assert.Equal((500, 3), (level.Width, level.Bands));
        Assert.InRange(level.Average(), 20, 235);
    }

    [Fact]
    public void A_leica_scn_is_a_slide_of_the_collections_size_with_its_objective()
    {
        PageFiles.LeicaSlide(_root);
        var catalog = new SourceCatalog(new FileSystemSourceResolver(_root));
        Assert.True(catalog.Describe("leica.scn").TryGetValue(out var slide, out var error), error?.Message);
        var facts = slide.Properties.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(("leica", "20", 1), (facts["Scanner vendor"], facts["Objective power"], slide.PageCount));
        Assert.Equal(2002, slide.Info.Width);
        using var level = new LevelOpener().Open(slide, slide.Info.Levels[1]);
        Assert.InRange(level.Average(), 20, 235);
    }

    [Fact]
    public void A_slide_without_associated_images_has_one_page()
    {
        PageFiles.GenericSlide(_root, "plain.svs");
        var catalog = new SourceCatalog(new FileSystemSourceResolver(_root));
        Assert.True(catalog.Describe("plain.svs").TryGetValue(out var slide, out var error), error?.Message);
        Assert.Equal(1, slide.PageCount);
        Assert.False(catalog.Describe("plain.svs;2").TryGetValue(out _, out error));
        Assert.Equal(404, error.Status);
    }

    [Fact]
    public void An_associated_image_over_the_limits_is_413_from_its_size_alone()
    {
        // The slide's tiles are 256 KiB decoded; its label, 1500×1000 read whole, needs about 10 MiB.
        PageFiles.AperioSlide(_root, associatedWidth: 1500);
        var catalog = new SourceCatalog(new FileSystemSourceResolver(_root), limits: SourceLimits.Default with { MaxDecodeMegabytes = 1 });
        Assert.True(catalog.Describe("aperio.svs").TryGetValue(out _, out var error), error?.Message);
        Assert.False(catalog.Describe("aperio.svs;2").TryGetValue(out _, out error));
        Assert.Equal(413, error.Status);
        Assert.Contains("slide's label image of 1500×1000 pixels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_damaged_associated_image_is_described_and_its_read_is_an_error_not_a_crash()
    {
        PageFiles.AperioSlide(_root, "damaged.svs", damagedLabel: true);
        var catalog = new SourceCatalog(new FileSystemSourceResolver(_root));
        Assert.True(catalog.Describe("damaged.svs;2").TryGetValue(out var label, out var error), error?.Message);
        var e = Assert.Throws<VipsException>(() => new LevelOpener().Open(label, label.Info.Levels[0]).Dispose());
        Assert.Contains("could not read its associated image \"label\"", e.Message, StringComparison.Ordinal);
        Assert.True(catalog.Describe("damaged.svs;3").TryGetValue(out var macro, out error), error?.Message);
        using var pixels = new LevelOpener().Open(macro, macro.Info.Levels[0]);
        Assert.Equal(120, pixels.Width);
    }
}
