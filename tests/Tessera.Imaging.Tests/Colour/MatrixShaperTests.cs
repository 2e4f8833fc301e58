using Tessera.Imaging.Colour;
using Tessera.Testing;
using Tessera.Vips;

namespace Tessera.Imaging.Tests.Colour;

/// <summary>
/// The managed matrix/TRC transform against LittleCMS' own transform of the same profile (the one libvips uses), on a
/// real photograph read as if it were in each profile's space: the same bytes but for rounding.
/// </summary>
public sealed class MatrixShaperTests
{
    public static TheoryData<string> Profiles => new()
    {
        "/usr/share/color/icc/colord/AdobeRGB1998.icc",
        "/usr/share/color/icc/compatibleWithAdobeRGB1998.icc",
        "/usr/share/color/icc/colord/ECI-RGBv2.icc",
        "/usr/share/color/icc/colord/ProPhotoRGB.icc",
        "/usr/share/color/icc/colord/AppleRGB.icc",
        "/usr/share/color/icc/colord/WideGamutRGB.icc",
        "/usr/share/color/icc/colord/Rec709.icc",
        "/usr/share/color/icc/colord/BetaRGB.icc",
        "/usr/share/color/icc/LStar-RGB.icc",
        "/usr/share/color/icc/ghostscript/rommrgb.icc",
    };

    [Theory]
    [MemberData(nameof(Profiles))]
    public void A_matrix_trc_profile_transforms_as_littlecms_does(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var profile = IccProfile.TryParse(bytes);
        Assert.NotNull(profile);
        Assert.NotNull(profile.Shaper);
        var (pixels, width, height) = Photo(3);

        using var lcms = ColourTransform.Create(bytes, ColourTransformKind.Rgb);
        var expected = new byte[pixels.Length];
        lcms.Transform(pixels, expected, width, height, width * 3, width * 3);
        var actual = new byte[pixels.Length];
        profile.Shaper.Transform(pixels, actual, width, height, 3, width * 3, width * 3);

        var (mean, max) = Difference(actual, expected);
        Assert.True(max <= 2 && mean < 0.2, $"{Path.GetFileName(path)}: mean {mean:F3}, max {max} levels from LittleCMS");
    }

    [Fact]
    public void Alpha_is_copied_and_in_place_gives_the_same_bytes()
    {
        var profile = IccProfile.TryParse(File.ReadAllBytes("/usr/share/color/icc/colord/ProPhotoRGB.icc"))!;
        var (rgb, width, height) = Photo(3);
        var (rgba, _, _) = Photo(4);
        var apart = new byte[rgb.Length];
        profile.Shaper!.Transform(rgb, apart, width, height, 3, width * 3, width * 3);

        var inPlace = rgba.ToArray();
        profile.Shaper.Transform(inPlace, inPlace, width, height, 4, width * 4, width * 4);

        for (var i = 0; i < width * height; i++)
        {
            Assert.Equal(apart.AsSpan(i * 3, 3).ToArray(), inPlace.AsSpan(i * 4, 3).ToArray());
            Assert.Equal(rgba[(i * 4) + 3], inPlace[(i * 4) + 3]);
        }
    }

    [Fact]
    public void Srgb_and_non_rgb_profiles_have_no_shaper()
    {
        Assert.Null(IccProfile.TryParse(File.ReadAllBytes("/usr/share/color/icc/colord/sRGB.icc"))!.Shaper);
        Assert.Null(IccProfile.TryParse(File.ReadAllBytes("/usr/share/color/icc/ghostscript/sgray.icc"))!.Shaper);
        Assert.Null(IccProfile.TryParse(File.ReadAllBytes("/usr/share/color/icc/ghostscript/default_cmyk.icc"))!.Shaper);
    }

    [Fact]
    public void Short_buffers_are_refused()
    {
        var profile = IccProfile.TryParse(File.ReadAllBytes("/usr/share/color/icc/colord/AdobeRGB1998.icc"))!;
        Assert.Throws<ArgumentException>(() => profile.Shaper!.Transform(new byte[29], new byte[30], 10, 1, 3, 30, 30));
        Assert.Throws<ArgumentOutOfRangeException>(() => profile.Shaper!.Transform(new byte[20], new byte[20], 10, 1, 2, 20, 20));
    }

    /// <summary>A 200 px-wide rendition of a sample photograph, 8-bit, with a made-up alpha when 4 bands are asked for.</summary>
    private static (byte[] Pixels, int Width, int Height) Photo(int bands)
    {
        using var image = VipsImage.NewFromFile(Samples.PathOf("sunset_by_Aitzol_Berasategi.jpg"));
        using var small = image.Resize(200.0 / image.Width, 200.0 / image.Width);
        var rgb = small.ToPixels();
        int width = small.Width, height = small.Height;
        if (bands == 3)
        {
            return (rgb, width, height);
        }

        var rgba = new byte[width * height * 4];
        for (var i = 0; i < width * height; i++)
        {
            rgb.AsSpan(i * 3, 3).CopyTo(rgba.AsSpan(i * 4));
            rgba[(i * 4) + 3] = (byte)(i * 7);
        }

        return (rgba, width, height);
    }

    private static (double Mean, int Max) Difference(byte[] a, byte[] b)
    {
        long sum = 0;
        var max = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var d = Math.Abs(a[i] - b[i]);
            sum += d;
            max = Math.Max(max, d);
        }

        return ((double)sum / a.Length, max);
    }
}
