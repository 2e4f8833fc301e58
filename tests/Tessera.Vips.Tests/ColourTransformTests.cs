using Tessera.Vips;

namespace Tessera.Vips.Tests;

/// <summary>
/// LittleCMS transforms built once and shared (<see cref="ColourTransform"/>), checked against libvips' own
/// <c>icc_transform</c> on a photograph tagged with real profiles (Debian's colord-data and libgs-common).
/// </summary>
public sealed class ColourTransformTests(ITestOutputHelper output)
{
    private const string Colord = "/usr/share/color/icc/colord";
    private const string Ghostscript = "/usr/share/color/icc/ghostscript";

    [Fact]
    public void The_library_is_installed_here()
    {
        Assert.True(ColourTransform.IsAvailable, "liblcms2.so.2 was not found (apt-get install -y liblcms2-2; libvips42 depends on it)");
    }

    [Fact]
    public void The_colour_difference_helper_gives_the_published_values()
    {
        // Pairs 1, 7 and 17 of Sharma, Wu and Dalal's test data.
        Assert.Equal(2.0425, ColourDifference.DeltaE2000((50, 2.6772, -79.7751), (50, 0, -82.7485)), 4);
        Assert.Equal(2.3669, ColourDifference.DeltaE2000((50, 0, 0), (50, -1, 2)), 4);
        Assert.Equal(27.1492, ColourDifference.DeltaE2000((50, 2.5, 0), (73, 25, -18)), 4);
    }

    [Theory]
    [InlineData(Colord + "/AdobeRGB1998.icc", ColourTransformKind.Rgb)]
    [InlineData(Colord + "/ECI-RGBv2.icc", ColourTransformKind.Rgb)]
    [InlineData(Colord + "/ProPhotoRGB.icc", ColourTransformKind.Rgb)]
    [InlineData(Colord + "/ProPhotoRGB.icc", ColourTransformKind.Rgba)]
    [InlineData(Ghostscript + "/sgray.icc", ColourTransformKind.Grey)]
    [InlineData(Ghostscript + "/sgray.icc", ColourTransformKind.GreyAlpha)]
    [InlineData(Ghostscript + "/default_cmyk.icc", ColourTransformKind.Cmyk)]
    public void Pixels_agree_with_libvips_icc_transform_within_one_delta_e(string profilePath, ColourTransformKind kind)
    {
        var profile = Profile(profilePath);
        using var tagged = Tagged(profile, profilePath, kind);
        var pixels = tagged.ToPixels();

        using var byVips = tagged.Call("icc_transform", ("output_profile", "srgb"), ("embedded", true), ("intent", "relative"), ("depth", 8));
        var expected = byVips.ToPixels();

        using var transform = ColourTransform.Create(profile, kind);
        Assert.Equal(tagged.Bands, transform.InputBytesPerPixel);
        Assert.Equal(byVips.Bands, transform.OutputBytesPerPixel);
        var actual = new byte[expected.Length];
        var (width, height) = (tagged.Width, tagged.Height);
        transform.Transform(pixels, actual, width, height, width * transform.InputBytesPerPixel, width * transform.OutputBytesPerPixel);

        var bands = transform.OutputBytesPerPixel;
        var (mean, max) = ColourDifference.Compare(expected, actual, bands);
        output.WriteLine($"{Path.GetFileName(profilePath)} {kind}: mean ΔE00 {mean:F3}, max {max:F3}, identical bytes {Identical(expected, actual):P1}");
        Assert.True(mean <= 1, $"Expected a mean ΔE00 of at most 1 against libvips but measured {mean:F3} (max {max:F3})");

        if (bands == 4)
        {
            // Alpha is copied, not transformed.
            for (var i = 3; i < actual.Length; i += 4)
            {
                Assert.Equal(pixels[(i / 4 * transform.InputBytesPerPixel) + transform.InputBytesPerPixel - 1], actual[i]);
            }
        }
    }

    [Fact]
    public void A_colour_transform_that_changes_nothing_is_not_what_is_measured()
    {
        // The comparison above could pass trivially if the profiles were near sRGB: ProPhoto's primaries are far from
        // it, so leaving the pixels as they are must be far from libvips' result.
        var profile = Profile(Colord + "/ProPhotoRGB.icc");
        using var tagged = Tagged(profile, Colord + "/ProPhotoRGB.icc", ColourTransformKind.Rgb);
        using var byVips = tagged.Call("icc_transform", ("output_profile", "srgb"), ("embedded", true), ("intent", "relative"), ("depth", 8));
        var (mean, _) = ColourDifference.Compare(byVips.ToPixels(), tagged.ToPixels(), 3);
        Assert.True(mean > 3, $"ProPhoto pixels left untransformed differ from libvips' by a mean ΔE00 of only {mean:F3}");
    }

    [Fact]
    public void Inverted_cmyk_gives_what_plain_cmyk_gives()
    {
        var profile = Profile(Ghostscript + "/default_cmyk.icc");
        using var tagged = Tagged(profile, Ghostscript + "/default_cmyk.icc", ColourTransformKind.Cmyk);
        var cmyk = tagged.ToPixels();
        var inverted = cmyk.Select(b => (byte)(255 - b)).ToArray();
        int width = tagged.Width, height = tagged.Height;

        using var plain = ColourTransform.Create(profile, ColourTransformKind.Cmyk);
        using var reversed = ColourTransform.Create(profile, ColourTransformKind.CmykInverted);
        var expected = new byte[width * height * 3];
        var actual = new byte[width * height * 3];
        plain.Transform(cmyk, expected, width, height, width * 4, width * 3);
        reversed.Transform(inverted, actual, width, height, width * 4, width * 3);

        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(ColourTransformKind.Rgb)]
    [InlineData(ColourTransformKind.Rgba)]
    public void In_place_gives_what_a_separate_destination_gives(ColourTransformKind kind)
    {
        var profile = Profile(Colord + "/AdobeRGB1998.icc");
        using var tagged = Tagged(profile, Colord + "/AdobeRGB1998.icc", kind);
        var pixels = tagged.ToPixels();
        int width = tagged.Width, height = tagged.Height, stride = width * tagged.Bands;
        using var transform = ColourTransform.Create(profile, kind);

        var apart = new byte[pixels.Length];
        transform.Transform(pixels, apart, width, height, stride, stride);
        var inPlace = pixels.ToArray();
        transform.Transform(inPlace, inPlace, width, height, stride, stride);

        Assert.Equal(apart, inPlace);
        Assert.NotEqual(pixels, inPlace);

        // Overlapping but shifted, the rows would be read after they were written.
        var ex = Assert.Throws<ArgumentException>(() => transform.Transform(inPlace, inPlace.AsSpan(stride), width, height - 1, stride, stride));
        Assert.Equal("destination", ex.ParamName);
    }

    [Fact]
    public void Strides_are_honoured_and_bytes_between_rows_are_left_alone()
    {
        var profile = Profile(Colord + "/ECI-RGBv2.icc");
        using var tagged = Tagged(profile, Colord + "/ECI-RGBv2.icc", ColourTransformKind.Rgb);
        var packed = tagged.ToPixels();
        int width = tagged.Width, height = tagged.Height, row = width * 3;
        using var transform = ColourTransform.Create(profile, ColourTransformKind.Rgb);
        var expected = new byte[packed.Length];
        transform.Transform(packed, expected, width, height, row, row);

        // Input rows 7 bytes of padding apart, output rows 13 apart, in one call.
        var padded = new byte[height * (row + 7)];
        for (var y = 0; y < height; y++)
        {
            packed.AsSpan(y * row, row).CopyTo(padded.AsSpan(y * (row + 7)));
        }

        var canvas = new byte[height * (row + 13)];
        canvas.AsSpan().Fill(0xEE);
        transform.Transform(padded, canvas, width, height, row + 7, row + 13);
        for (var y = 0; y < height; y++)
        {
            Assert.Equal(expected.AsSpan(y * row, row).ToArray(), canvas.AsSpan(y * (row + 13), row).ToArray());
            Assert.All(canvas.AsSpan((y * (row + 13)) + row, 13).ToArray(), b => Assert.Equal(0xEE, b));
        }
    }

    [Fact]
    public void Many_threads_on_one_transform_give_the_bytes_one_thread_gives()
    {
        var profile = Profile(Ghostscript + "/default_cmyk.icc");
        using var tagged = Tagged(profile, Ghostscript + "/default_cmyk.icc", ColourTransformKind.Cmyk);
        var cmyk = tagged.ToPixels();
        int width = tagged.Width, height = tagged.Height;
        using var transform = ColourTransform.Create(profile, ColourTransformKind.Cmyk);
        var expected = new byte[width * height * 3];
        transform.Transform(cmyk, expected, width, height, width * 4, width * 3);

        var results = new byte[8][];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var mine = new byte[expected.Length];
            for (var round = 0; round < 10; round++)
            {
                // Rows in bands of different heights, so threads are at different rows at the same time.
                for (var top = 0; top < height; top += 7 + i)
                {
                    var rows = Math.Min(7 + i, height - top);
                    transform.Transform(cmyk.AsSpan(top * width * 4), mine.AsSpan(top * width * 3), width, rows, width * 4, width * 3);
                }
            }

            results[i] = mine;
        });

        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Fact]
    public void A_broken_or_mismatched_profile_is_refused_with_a_reason()
    {
        var adobe = Profile(Colord + "/AdobeRGB1998.icc");

        var garbage = new byte[600];
        new Random(7).NextBytes(garbage);
        var ex = Assert.Throws<ColourTransformException>(() => ColourTransform.Create(garbage, ColourTransformKind.Rgb));
        Assert.Contains("Expected a readable ICC profile for inputProfile", ex.Message, StringComparison.Ordinal);

        // A header that promises more than is there.
        ex = Assert.Throws<ColourTransformException>(() => ColourTransform.Create(adobe.AsSpan(0, 300), ColourTransformKind.Rgb));
        output.WriteLine(ex.Message);

        ex = Assert.Throws<ColourTransformException>(() => ColourTransform.Create(adobe.AsSpan(0, 20), ColourTransformKind.Rgb));
        Assert.Equal("Expected an ICC profile (at least 128 bytes) for inputProfile but received 20 bytes", ex.Message);

        ex = Assert.Throws<ColourTransformException>(() => ColourTransform.Create(adobe, ColourTransformKind.Cmyk));
        Assert.Equal("Expected an ICC profile of colour space CMYK for Cmyk pixels but received one of RGB", ex.Message);

        ex = Assert.Throws<ColourTransformException>(() => ColourTransform.Create(Profile(Ghostscript + "/sgray.icc"), ColourTransformKind.Rgba));
        Assert.Equal("Expected an ICC profile of colour space RGB for Rgba pixels but received one of GRAY", ex.Message);

        // Only a perceptual table: libvips 8.14 ignores such a profile for its own CMYK one, so it is left to libvips.
        ex = Assert.Throws<ColourTransformException>(() => ColourTransform.Create(Profile(Ghostscript + "/ps_cmyk.icc"), ColourTransformKind.Cmyk));
        Assert.Contains("relative colorimetric intent", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sizes_are_checked_before_the_native_call_and_a_disposed_transform_refuses_work()
    {
        var transform = ColourTransform.Create(Profile(Colord + "/AdobeRGB1998.icc"), ColourTransformKind.Rgb);
        var buffer = new byte[30];
        Assert.Throws<ArgumentOutOfRangeException>(() => transform.Transform(buffer, new byte[30], 10, 1, 29, 30));
        var ex = Assert.Throws<ArgumentException>(() => transform.Transform(buffer, new byte[29], 10, 1, 30, 30));
        Assert.Equal("destination", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() => transform.Transform(buffer, new byte[60], 10, 2, 30, 30));
        Assert.Equal("source", ex.ParamName);

        transform.Dispose();
        Assert.Throws<ObjectDisposedException>(() => transform.Transform(buffer, new byte[30], 10, 1, 30, 30));
    }

    /// <summary>
    /// A 384×256 part of a photograph whose pixels are taken to be in <paramref name="profile"/>'s colour space and
    /// which carries it (as <c>icc-profile-data</c>), with the bands <paramref name="kind"/> takes.
    /// </summary>
    private static VipsImage Tagged(byte[] profile, string profilePath, ColourTransformKind kind)
    {
        using var file = VipsImage.NewFromFile(Sample("Kleiber_by_Lukas_Baubkus.jpg"), ("shrink", 8));
        using var cut = file.ExtractArea(100, 60, 384, 256);
        using var rgb = cut.Call("copy");
        if (kind is ColourTransformKind.Cmyk)
        {
            // CMYK separations made with Ghostscript's default profile, then tagged with the profile under test; TIFF
            // carries CMYK, the profile and every pixel.
            using var separated = rgb.Call("icc_transform", ("input_profile", "srgb"), ("output_profile", Ghostscript + "/default_cmyk.icc"), ("intent", "relative"), ("depth", 8));
            var tiff = separated.SaveToBuffer("tiffsave_buffer", ("profile", profilePath));
            var cmyk = VipsImage.NewFromBuffer(tiff);
            Assert.Equal(profile, cmyk.GetBlob("icc-profile-data"));
            return cmyk;
        }

        using var bands = kind is ColourTransformKind.Grey or ColourTransformKind.GreyAlpha ? rgb.Colourspace("b-w") : rgb.Call("copy");
        using var withAlpha = kind is ColourTransformKind.Rgba or ColourTransformKind.GreyAlpha
            ? VipsOperation.Image("bandjoin_const", ("in", bands), ("c", new[] { 200.0 }))
            : bands.Call("copy");

        // PNG carries the profile and keeps every pixel.
        var png = withAlpha.SaveToBuffer("pngsave_buffer", ("profile", profilePath), ("compression", 1));
        var tagged = VipsImage.NewFromBuffer(png);
        Assert.Equal(profile, tagged.GetBlob("icc-profile-data"));
        return tagged;
    }

    private static double Identical(byte[] expected, byte[] actual) => expected.Zip(actual).Count(p => p.First == p.Second) / (double)expected.Length;

    private static byte[] Profile(string path)
    {
        Assert.True(File.Exists(path), $"Expected the ICC profile {path}: install colord-data and libgs-common (scripts/test installs them)");
        return File.ReadAllBytes(path);
    }

    private static string Sample(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "samples", name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"Expected samples/{name} in a parent of {AppContext.BaseDirectory}.");
    }
}
