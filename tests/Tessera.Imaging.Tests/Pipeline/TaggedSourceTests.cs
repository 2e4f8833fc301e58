using Tessera.Core.Iiif;
using Tessera.Imaging.Batch;
using Tessera.Imaging.Colour;
using Tessera.Imaging.Pipeline;
using Tessera.Imaging.Rendering;
using Tessera.Imaging.Tests.Tiff;
using Tessera.Testing;
using Tessera.Vips;

namespace Tessera.Imaging.Tests.Pipeline;

/// <summary>
/// Pyramids whose source carries an ICC profile, through the real pipeline: an sRGB-tagged one takes the same fast
/// paths as an untagged one (its pixels are sRGB already), an Adobe RGB one is converted by the cached LittleCMS
/// transform on the JPEG tile path (or the libvips path for other formats), and both give the colours libvips' own
/// transform of the level gives; with <see cref="ColourPolicy.Embed"/> the Adobe RGB pixels are sent as stored with
/// the exact profile attached.
/// </summary>
public sealed class TaggedSourceTests : IDisposable
{
    private const string SrgbProfile = "/usr/share/color/icc/colord/sRGB.icc";
    private const string AdobeProfile = "/usr/share/color/icc/colord/AdobeRGB1998.icc";

    private readonly string _root = Directory.CreateTempSubdirectory("tessera-tagged-").FullName;

    public TaggedSourceTests()
    {
        BatchPipeline.ConfigureVips(1);
        string[] common = ["--tile", "--tile-width", "256", "--tile-height", "256", "--pyramid", "--compression", "jpeg", "--Q", "85"];
        VipsCli.Vips(["tiffsave", TiffFixtures.Source, Path.Combine(_root, "srgb.tif"), .. common, "--profile", SrgbProfile]);
        VipsCli.Vips(["tiffsave", TiffFixtures.Source, Path.Combine(_root, "adobe.tif"), .. common, "--profile", AdobeProfile]);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("srgb.tif", "0,0,256,256", "256,256", RenderOrigin.StoredTile)]
    [InlineData("srgb.tif", "256,512,256,256", "256,256", RenderOrigin.StoredTile)]
    [InlineData("srgb.tif", "100,150,300,400", "max", RenderOrigin.JpegTiles)]
    [InlineData("srgb.tif", "400,700,267,299", "max", RenderOrigin.JpegTiles)]
    [InlineData("srgb.tif", "100,150,300,400", "200,", RenderOrigin.JpegTiles)]
    [InlineData("adobe.tif", "0,0,256,256", "256,256", RenderOrigin.JpegTiles)]
    [InlineData("adobe.tif", "100,150,300,400", "max", RenderOrigin.JpegTiles)]
    [InlineData("adobe.tif", "100,150,300,400", "200,", RenderOrigin.JpegTiles)]
    [InlineData("adobe.tif", "100,150,300,400", "max", RenderOrigin.Rendered, "png")]
    [InlineData("adobe.tif", "full", "!200,200", RenderOrigin.Rendered, "png")]
    public async Task Tagged_sources_give_libvips_transformed_colours_by_the_fastest_path_that_can(string identifier, string region, string size, RenderOrigin origin, string format = "jpg")
    {
        var pipeline = BatchPipeline.Create(_root, jobs: 1);

        var result = await PipelineRequests.Image(pipeline, identifier, region, size, format: format);

        Assert.Equal(origin, result.Image.Origin);
        Assert.NotNull(result.Source.Profile);
        using var file = Level(identifier, result);
        using var transformed = file.Call("icc_transform", ("output_profile", "srgb"), ("embedded", true), ("intent", "relative"), ("depth", 8));
        using var expected = Cut(transformed, result);
        using var actual = VipsImage.NewFromBuffer(result.Image.Data);
        Assert.Equal((result.Plan.Width, result.Plan.Height), (actual.Width, actual.Height));
        Assert.False(actual.HasField("icc-profile-data"));

        var tolerance = origin == RenderOrigin.StoredTile ? 1.0 : 2.5;
        if (identifier == "adobe.tif")
        {
            // Adobe RGB is a matrix/TRC profile: the managed transform, neither libvips' per request nor LittleCMS'.
            Assert.NotNull(result.Source.Profile!.Shaper);
            Assert.Equal(0, pipeline.Renderer.Transforms.Builds);
        }

        var difference = MeanDifference(actual, expected);
        Assert.True(difference < tolerance, $"mean difference {difference:F2} from libvips' transform");
    }

    [Fact]
    public async Task An_adobe_rgb_source_is_transformed_not_served_as_stored()
    {
        var pipeline = BatchPipeline.Create(_root, jobs: 1);

        var result = await PipelineRequests.Image(pipeline, "adobe.tif", "0,0,256,256", "256,256");

        // The stored pixels, untransformed, are visibly different from what was served.
        using var file = VipsImage.NewFromFile(Path.Combine(_root, "adobe.tif"));
        using var stored = file.ExtractArea(0, 0, 256, 256);
        using var actual = VipsImage.NewFromBuffer(result.Image.Data);
        var difference = MeanDifference(actual, stored);
        Assert.True(difference > 3, $"mean difference {difference:F2} from the stored pixels");
    }

    [Theory]
    [InlineData("0,0,256,256", "256,256", "jpg", RenderOrigin.StoredTile)]
    [InlineData("100,150,300,400", "max", "jpg", RenderOrigin.JpegTiles)]
    [InlineData("100,150,300,400", "200,", "jpg", RenderOrigin.JpegTiles)]
    [InlineData("100,150,300,400", "max", "png", RenderOrigin.Rendered)]
    [InlineData("100,150,300,400", "max", "webp", RenderOrigin.Rendered)]
    [InlineData("100,150,300,400", "max", "tif", RenderOrigin.Rendered)]
    public async Task Embedding_sends_the_stored_pixels_with_the_exact_profile(string region, string size, string format, RenderOrigin origin)
    {
        var pipeline = BatchPipeline.Create(_root, jobs: 1, new RenderOptions { Colour = ColourPolicy.Embed });

        var result = await PipelineRequests.Image(pipeline, "adobe.tif", region, size, format: format);

        Assert.Equal(origin, result.Image.Origin);
        using var actual = VipsImage.NewFromBuffer(result.Image.Data);
        Assert.Equal(File.ReadAllBytes(AdobeProfile), actual.GetBlob("icc-profile-data"));
        using var file = Level("adobe.tif", result);
        using var expected = Cut(file, result);
        var difference = MeanDifference(actual, expected);
        Assert.True(difference < 2.5, $"mean difference {difference:F2} from the stored pixels");
        Assert.Equal(0, pipeline.Renderer.Transforms.Builds);
    }

    [Fact]
    public async Task Embedding_still_converts_what_cannot_carry_the_profile()
    {
        var pipeline = BatchPipeline.Create(_root, jobs: 1, new RenderOptions { Colour = ColourPolicy.Embed });

        foreach (var (quality, format) in new[] { ("gray", "jpg"), ("default", "gif") })
        {
            var request = ImageRequestParser.Parse(ApiVersion.V3, "adobe.tif", "0,0,256,256", "256,256", "0", $"{quality}.{format}").Value;
            Assert.True((await pipeline.RunAsync(request)).TryGetValue(out var result, out var error), error?.Message);
            using var actual = VipsImage.NewFromBuffer(result.Image.Data);
            Assert.False(actual.HasField("icc-profile-data"), $"{quality}.{format} carries a profile");
        }
    }

    [Fact]
    public async Task Converting_and_embedding_are_different_derivatives()
    {
        var convert = BatchPipeline.Create(_root, jobs: 1);
        var embed = BatchPipeline.Create(_root, jobs: 1, new RenderOptions { Colour = ColourPolicy.Embed });
        var adobe = await PipelineRequests.Image(convert, "adobe.tif", "0,0,256,256", "256,256");
        var srgb = await PipelineRequests.Image(convert, "srgb.tif", "0,0,256,256", "256,256");

        Assert.NotEqual(convert.KeyOf(adobe.Plan, adobe.Source), embed.KeyOf(adobe.Plan, adobe.Source));
        Assert.Equal(convert.KeyOf(srgb.Plan, srgb.Source), embed.KeyOf(srgb.Plan, srgb.Source));
    }

    [Theory]
    [InlineData("truncated", ColourPolicy.Convert)]
    [InlineData("truncated", ColourPolicy.Embed)]
    [InlineData("bad-curve", ColourPolicy.Convert)]
    [InlineData("bad-curve", ColourPolicy.Embed)]
    public async Task A_broken_or_lying_profile_falls_back_and_every_request_answers(string damage, ColourPolicy policy)
    {
        var profile = File.ReadAllBytes(AdobeProfile);
        if (damage == "truncated")
        {
            // The header still declares the whole size: the profile lies about its length.
            profile = profile[..(profile.Length / 2)];
        }
        else
        {
            // The tone curves' type signature made unreadable (colord's Adobe RGB shares one parametric curve).
            var at = profile.AsSpan().IndexOf("para"u8) is >= 0 and var para ? para : profile.AsSpan().IndexOf("curv"u8);
            Assert.True(at > 0, "no tone curve found");
            "xxxx"u8.CopyTo(profile.AsSpan(at));
        }

        var path = Path.Combine(_root, $"{damage}.tif");
        using (var photo = VipsImage.NewFromFile(Samples.PathOf(Samples.Sunset)))
        using (var small = photo.Resize(0.25, 0.25))
        using (var tagged = small.WithProfileOnly(profile))
        {
            tagged.SaveToFile("tiffsave", path, ("tile", true), ("tile_width", 256), ("tile_height", 256), ("pyramid", true), ("compression", "jpeg"), ("Q", 85), ("strip", false));
        }

        var pipeline = BatchPipeline.Create(_root, jobs: 1, new RenderOptions { Colour = policy });
        foreach (var (region, size, format) in new[] { ("0,0,256,256", "256,256", "jpg"), ("100,150,300,400", "200,", "jpg"), ("full", "!300,300", "png") })
        {
            var result = await PipelineRequests.Image(pipeline, $"{damage}.tif", region, size, format: format);
            Assert.Null(result.Source.Profile);
            using var image = VipsImage.NewFromBuffer(result.Image.Data);
            Assert.Equal((result.Plan.Width, result.Plan.Height), (image.Width, image.Height));
        }
    }

    /// <summary>The pyramid level the plan reads (a reduced request reads a smaller one, as the server does).</summary>
    private VipsImage Level(string identifier, ImageResult result) =>
        VipsImage.NewFromFile(Path.Combine(_root, identifier), ("page", result.Plan.Level.Index));

    /// <summary>The plan's region cut from its level and sized as the plan says.</summary>
    private static VipsImage Cut(VipsImage level, ImageResult result)
    {
        var (r, info) = (result.Plan.Region, result.Source.Info);
        double sx = (double)level.Width / info.Width, sy = (double)level.Height / info.Height;
        int x = (int)(r.X * sx), y = (int)(r.Y * sy);
        int w = Math.Min(level.Width - x, Math.Max(1, (int)Math.Round(r.Width * sx))), h = Math.Min(level.Height - y, Math.Max(1, (int)Math.Round(r.Height * sy)));
        using var cut = level.ExtractArea(x, y, w, h);
        return cut.Resize((double)result.Plan.Width / w, (double)result.Plan.Height / h);
    }

    private static double MeanDifference(VipsImage actual, VipsImage expected)
    {
        using var area = expected.ExtractArea(0, 0, actual.Width, actual.Height);
        using var difference = VipsOperation.Image("subtract", ("left", actual), ("right", area));
        using var absolute = difference.Call("abs");
        return absolute.Average();
    }
}
