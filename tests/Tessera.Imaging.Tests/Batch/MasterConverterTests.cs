using System.Security.Cryptography;
using Tessera.Imaging.Batch;
using Tessera.Imaging.Tiff;
using Tessera.Testing;
using Tessera.Vips;

namespace Tessera.Imaging.Tests.Batch;

public sealed class MasterConverterTests : IDisposable
{
    private readonly MasterFixtures _fixtures = new("tessera-batch-");

    [Fact]
    public async Task A_corrupt_master_among_good_ones_is_reported_and_the_others_become_tiled_pyramids()
    {
        var jpeg = _fixtures.Photo("a.jpg", 900);
        var png = _fixtures.Photo("deep/b.png", 600, "pngsave");
        var corrupt = Path.Combine(_fixtures.Root, "c.jpg");
        File.WriteAllBytes(corrupt, File.ReadAllBytes(jpeg)[..2000]);
        var before = new[] { jpeg, png, corrupt }.ToDictionary(p => p, p => SHA256.HashData(File.ReadAllBytes(p)));
        var output = _fixtures.Out("serve");

        var summary = await new MasterConverter(new ConvertOptions { Output = output, Jobs = 2 }).RunAsync([_fixtures.Root]);

        Assert.Equal(2, summary.Done);
        Assert.Equal(1, summary.Failed);
        Assert.Equal(corrupt, summary.Failures.Single().Item);
        Assert.Equal(["a.tif", "deep/b.tif"], MasterFixtures.Files(output));
        foreach (var (path, hash) in before)
        {
            Assert.Equal(hash, SHA256.HashData(File.ReadAllBytes(path))); // masters never modified
        }

        var directories = TiffDirectoryReader.Read(Path.Combine(output, "a.tif")).Where(d => !d.IsSubIfd).ToList();
        Assert.True(directories.Count >= 3, "a pyramid of several levels");
        Assert.All(directories, d => Assert.True(d.IsTiled && d.TileWidth == 256 && d.TileLength == 256));
        using var converted = VipsImage.NewFromFile(Path.Combine(output, "a.tif"));
        Assert.Equal(900, converted.Width);
    }

    [Fact]
    public async Task Up_to_date_outputs_are_skipped_and_a_changed_master_is_converted_again()
    {
        var master = _fixtures.Photo("a.jpg", 400);
        var options = new ConvertOptions { Output = _fixtures.Out("serve"), Jobs = 1 };
        await new MasterConverter(options).RunAsync([master]);

        var again = await new MasterConverter(options).RunAsync([master]);
        Assert.Equal((0, 1L), (again.Done, again.Skipped));

        File.SetLastWriteTimeUtc(master, DateTime.UtcNow.AddMinutes(1));
        var changed = await new MasterConverter(options).RunAsync([master]);
        Assert.Equal(1, changed.Done);
    }

    [Fact]
    public async Task Jpeg_2000_output_is_tiled()
    {
        var master = _fixtures.Photo("a.jpg", 300);

        var summary = await new MasterConverter(new ConvertOptions { Output = _fixtures.Out("jp2"), Format = ConvertFormat.Jp2, Jobs = 1 }).RunAsync([master]);

        Assert.True(summary.Succeeded, string.Join("\n", summary.Failures));
        Assert.Equal("jp2kload", VipsImage.FindLoader(Path.Combine(_fixtures.Out("jp2"), "a.jp2")));
    }

    [Fact]
    public async Task Htj2k_output_at_quality_100_is_a_lossless_tiled_jph_with_high_throughput_code_blocks_that_opens_as_jpeg_2000()
    {
        var master = _fixtures.Photo("a.png", 700, "pngsave");

        var summary = await new MasterConverter(new ConvertOptions { Output = _fixtures.Out("jph"), Format = ConvertFormat.Htj2k, Quality = 100, TileSize = 128, Jobs = 1 }).RunAsync([master]);

        Assert.True(summary.Succeeded, string.Join("\n", summary.Failures));
        var output = Path.Combine(_fixtures.Out("jph"), "a.jph");
        var bytes = File.ReadAllBytes(output);
        Assert.Equal("ftypjph ", System.Text.Encoding.ASCII.GetString(bytes, 16, 8));
        Assert.True(Htj2kCodestream(bytes), "a CAP marker announcing Part 15 (HT) code-blocks");

        var decoder = Jpeg2000Decoder.Open(output);
        Assert.Equal((128, 128), (decoder.TileWidth, decoder.TileHeight));
        Assert.Equal(4, decoder.Resolutions); // 700 → 350 → 175 → 88: three halvings until one 128 px tile holds it

        using var expected = VipsImage.NewFromFile(master);
        using var actual = VipsImage.NewFromFile(output);
        Assert.Equal(double.PositiveInfinity, PixelMeasures.Psnr(actual, expected));
    }

    [Theory]
    [InlineData(90, 38)]
    [InlineData(50, 28)]
    public async Task Lossy_htj2k_output_stays_close_to_the_master(int quality, double minimumPsnr)
    {
        var master = _fixtures.Photo("a.jpg", 600);

        var summary = await new MasterConverter(new ConvertOptions { Output = _fixtures.Out("jph"), Format = ConvertFormat.Htj2k, Quality = quality, Jobs = 1 }).RunAsync([master]);

        Assert.True(summary.Succeeded, string.Join("\n", summary.Failures));
        using var expected = VipsImage.NewFromFile(master);
        using var actual = VipsImage.NewFromFile(Path.Combine(_fixtures.Out("jph"), "a.jph"));
        var psnr = PixelMeasures.Psnr(actual, expected);
        Assert.InRange(psnr, minimumPsnr, 70);
    }

    [Fact]
    public async Task Htj2k_output_of_a_master_with_alpha_is_flattened_to_three_bands()
    {
        var opaque = _fixtures.Photo("opaque.png", 300, "pngsave");
        var master = Path.Combine(_fixtures.Root, "a.png");
        using (var photo = VipsImage.NewFromFile(opaque))
        using (var withAlpha = photo.Call("bandjoin_const", ("c", new double[] { 128 })))
        {
            withAlpha.SaveToFile("pngsave", master);
        }

        var summary = await new MasterConverter(new ConvertOptions { Output = _fixtures.Out("jph"), Format = ConvertFormat.Htj2k, Jobs = 1 }).RunAsync([master]);

        Assert.True(summary.Succeeded, string.Join("\n", summary.Failures));
        using var output = VipsImage.NewFromFile(Path.Combine(_fixtures.Out("jph"), "a.jph"));
        Assert.Equal(3, output.Bands);
    }

    /// <summary>A codestream with a CAP marker (0xFF50) whose Pcap announces Part 15 (0x00020000), in the main header.</summary>
    private static bool Htj2kCodestream(byte[] file)
    {
        var start = file.AsSpan().IndexOf((ReadOnlySpan<byte>)[0xFF, 0x4F, 0xFF, 0x51]);
        var cap = file.AsSpan(start).IndexOf((ReadOnlySpan<byte>)[0xFF, 0x50]);
        return start >= 0 && cap > 0 && (file[start + cap + 5] & 0x02) != 0;
    }

    [Fact]
    public async Task Refuses_to_write_over_its_own_master()
    {
        var master = _fixtures.Photo("a.tif", 200, "tiffsave");
        var hash = SHA256.HashData(File.ReadAllBytes(master));

        var summary = await new MasterConverter(new ConvertOptions { Output = _fixtures.Root, Jobs = 1 }).RunAsync([master]);

        Assert.Equal(1, summary.Failed);
        Assert.Equal(hash, SHA256.HashData(File.ReadAllBytes(master)));
    }

    private const string AdobeProfile = "/usr/share/color/icc/colord/AdobeRGB1998.icc";
    private const string SrgbProfile = "/usr/share/color/icc/colord/sRGB.icc";

    [Fact]
    public async Task An_adobe_rgb_master_becomes_an_srgb_pyramid_without_a_profile_and_is_reported()
    {
        var master = _fixtures.Photo("adobe.png", 600, "pngsave", ("profile", AdobeProfile));
        var output = _fixtures.Out("serve");

        var summary = await new MasterConverter(new ConvertOptions { Output = output, Jobs = 1 }).RunAsync([master]);

        Assert.True(summary.Succeeded, string.Join("\n", summary.Failures));
        Assert.Equal([(master, "converted from \"Compatible with Adobe RGB (1998)\" to sRGB")], summary.Notes);
        using var pyramid = VipsImage.NewFromFile(Path.Combine(output, "adobe.tif"));
        Assert.False(pyramid.HasField("icc-profile-data"));
        using var original = VipsImage.NewFromFile(master);
        using var transformed = original.Call("icc_transform", ("output_profile", "srgb"), ("embedded", true), ("intent", "relative"), ("depth", 8));
        Assert.True(MeanDifference(pyramid, transformed) < 1.5, $"mean difference {MeanDifference(pyramid, transformed):F2} from libvips' transform");
        Assert.True(MeanDifference(pyramid, original) > 3, $"mean difference {MeanDifference(pyramid, original):F2} from the untransformed master");
    }

    [Fact]
    public async Task Keep_profile_keeps_the_exact_profile_and_the_pixels()
    {
        var master = _fixtures.Photo("adobe.png", 600, "pngsave", ("profile", AdobeProfile));
        var output = _fixtures.Out("embed");

        var summary = await new MasterConverter(new ConvertOptions { Output = output, Jobs = 1, KeepProfile = true }).RunAsync([master]);

        Assert.True(summary.Succeeded, string.Join("\n", summary.Failures));
        Assert.Empty(summary.Notes);
        using var pyramid = VipsImage.NewFromFile(Path.Combine(output, "adobe.tif"));
        Assert.Equal(File.ReadAllBytes(AdobeProfile), pyramid.GetBlob("icc-profile-data"));
        using var original = VipsImage.NewFromFile(master);
        Assert.True(MeanDifference(pyramid, original) < 1.5, $"mean difference {MeanDifference(pyramid, original):F2} from the master");
    }

    [Fact]
    public async Task An_srgb_master_loses_its_profile_and_keeps_its_pixels()
    {
        var master = _fixtures.Photo("srgb.png", 600, "pngsave", ("profile", SrgbProfile));
        var output = _fixtures.Out("serve");

        var summary = await new MasterConverter(new ConvertOptions { Output = output, Jobs = 1 }).RunAsync([master]);

        Assert.True(summary.Succeeded, string.Join("\n", summary.Failures));
        Assert.Empty(summary.Notes);
        using var pyramid = VipsImage.NewFromFile(Path.Combine(output, "srgb.tif"));
        Assert.False(pyramid.HasField("icc-profile-data"));
        using var original = VipsImage.NewFromFile(master);
        Assert.True(MeanDifference(pyramid, original) < 1.5, $"mean difference {MeanDifference(pyramid, original):F2} from the master");
    }

    [Fact]
    public async Task A_sixteen_bit_master_is_made_eight_bit_with_its_profile_as_before()
    {
        using var photo = VipsImage.NewFromFile(Samples.PathOf(Samples.Sunset));
        using var small = photo.Resize(300.0 / photo.Width, 300.0 / photo.Width);
        using var deep = small.Colourspace("rgb16");
        var master = Path.Combine(_fixtures.Root, "deep.tif");
        deep.SaveToFile("tiffsave", master, ("profile", AdobeProfile));
        var output = _fixtures.Out("serve");

        var summary = await new MasterConverter(new ConvertOptions { Output = output, Jobs = 1 }).RunAsync([master]);

        Assert.True(summary.Succeeded, string.Join("\n", summary.Failures));
        using var pyramid = VipsImage.NewFromFile(Path.Combine(output, "deep.tif"));
        Assert.Equal(BandFormat.UChar, pyramid.Format);
        Assert.Equal(File.ReadAllBytes(AdobeProfile), pyramid.GetBlob("icc-profile-data"));
    }

    private static double MeanDifference(VipsImage actual, VipsImage expected)
    {
        using var difference = VipsOperation.Image("subtract", ("left", actual), ("right", expected));
        using var absolute = difference.Call("abs");
        return absolute.Average();
    }

    public void Dispose() => _fixtures.Dispose();
}
