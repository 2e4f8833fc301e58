using Tessera.Testing;

namespace Tessera.Vips.Tests;

/// <summary>
/// OpenSlide called directly for a slide's associated images: the names and sizes it lists, the pixels as they were
/// written, and a damaged image an error, never a crash.
/// </summary>
public sealed class OpenSlideFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tessera-openslide-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static VipsImage Label() => VipsOperation.Image("thumbnail", ("filename", Samples.PathOf(Samples.Sunset)), ("width", 120));

    [Fact]
    public void OpenSlide_is_installed_here() =>
        Assert.True(OpenSlideFile.IsAvailable, "libopenslide.so.0 was not found (apt-get install -y libopenslide0)");

    [Fact]
    public void An_aperio_slide_lists_its_label_and_macro_with_their_sizes()
    {
        using var slide = OpenSlideFile.Open(PageFiles.AperioSlide(_dir));
        Assert.Equal("aperio", slide.Vendor);
        Assert.Equal(new[] { "label", "macro" }, slide.AssociatedImageNames);
        Assert.Equal((120L, 80L), slide.AssociatedImageSize("label"));
        Assert.Equal("20", slide.Property("aperio.AppMag"));
    }

    [Theory]
    [InlineData("label")]
    [InlineData("macro")]
    public void An_associated_image_has_the_pixels_written_into_the_slide(string name)
    {
        using var slide = OpenSlideFile.Open(PageFiles.AperioSlide(_dir));
        using var image = slide.ReadAssociatedImage(name, 1_000_000);
        using var expected = Label();
        Assert.Equal((120, 80, 3, Interpretation.Srgb), (image.Width, image.Height, image.Bands, image.Interpretation));

        // Stored uncompressed and opaque: the very pixels, not nearly them.
        using var difference = VipsOperation.Image("subtract", ("left", image), ("right", expected)).Call("abs");
        Assert.Equal(0, (double)VipsOperation.Run("max", [new("in", difference)], ["out"])[0]!);
    }

    [Fact]
    public void An_associated_image_over_the_pixel_limit_is_refused_before_it_is_read()
    {
        using var slide = OpenSlideFile.Open(PageFiles.AperioSlide(_dir));
        var e = Assert.Throws<OpenSlideException>(() => slide.ReadAssociatedImage("label", 9_599));
        Assert.Contains("Expected at most 9599 pixels for associated image \"label\"", e.Message, StringComparison.Ordinal);
        Assert.Throws<OpenSlideException>(() => slide.AssociatedImageSize("thumbnail"));
    }

    [Fact]
    public void A_damaged_associated_image_is_an_error_and_the_others_still_read()
    {
        var path = PageFiles.AperioSlide(_dir, "damaged.svs", damagedLabel: true);
        using (var slide = OpenSlideFile.Open(path))
        {
            // The directory is whole, so OpenSlide lists the label and its size; its strip is 1.75 GB past the end.
            Assert.Equal((120L, 80L), slide.AssociatedImageSize("label"));
            var e = Assert.Throws<OpenSlideException>(() => slide.ReadAssociatedImage("label", 1_000_000));
            Assert.Contains("could not read its associated image \"label\"", e.Message, StringComparison.Ordinal);
        }

        using var again = OpenSlideFile.Open(path);
        using var macro = again.ReadAssociatedImage("macro", 1_000_000);
        Assert.Equal(120, macro.Width);
    }

    [Fact]
    public void A_philips_slide_is_read_as_philips_with_its_xml_label_and_macro()
    {
        using var slide = OpenSlideFile.Open(PageFiles.PhilipsSlide(_dir));
        Assert.Equal("philips", slide.Vendor);
        Assert.Equal("0.25", slide.Property("openslide.mpp-x"));
        Assert.Equal(new[] { "label", "macro" }, slide.AssociatedImageNames);

        // A JPEG in the XML: the pixels of the sample at 120 px, through one more lossy step.
        using var image = slide.ReadAssociatedImage("label", 1_000_000);
        using var expected = Label();
        Assert.Equal((120, 80, 3), (image.Width, image.Height, image.Bands));
        using var difference = VipsOperation.Image("subtract", ("left", image), ("right", expected)).Call("abs");
        Assert.InRange(difference.Average(), 0, 3);
    }

    [Fact]
    public void A_leica_scn_is_read_as_leica_with_its_objective_and_no_associated_images()
    {
        using var slide = OpenSlideFile.Open(PageFiles.LeicaSlide(_dir));
        Assert.Equal("leica", slide.Vendor);
        Assert.Equal("20", slide.Property("openslide.objective-power"));
        Assert.Equal("Leica SCN400;Leica SCN", slide.Property("leica.device-model"));
        Assert.Equal("2002", slide.Property("openslide.level[0].width"));
        Assert.Empty(slide.AssociatedImageNames);
    }

    [Fact]
    public void A_file_no_vendor_recognises_is_an_error()
    {
        var path = Path.Combine(_dir, "photo.jpg");
        File.Copy(Samples.PathOf(Samples.Sunset), path);
        var e = Assert.Throws<OpenSlideException>(() => OpenSlideFile.Open(path));
        Assert.Contains("not a slide OpenSlide recognises", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Premultiplied_argb_becomes_rgb_with_the_background_where_nothing_was_scanned()
    {
        uint[] argb = [0xFF102030, 0x80402010, 0x00000000, 0x01010101];
        var rgb = new byte[12];
        OpenSlideFile.Unpremultiply(argb, rgb, 0xF0E0D0);
        Assert.Equal(new byte[] { 0x10, 0x20, 0x30, 128, 64, 32, 0xF0, 0xE0, 0xD0, 255, 255, 255 }, rgb);
    }
}
