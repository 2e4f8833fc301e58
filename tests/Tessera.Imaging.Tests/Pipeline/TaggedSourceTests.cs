using Tessera.Imaging.Batch;
using Tessera.Imaging.Pipeline;
using Tessera.Imaging.Rendering;
using Tessera.Imaging.Tests.Tiff;
using Tessera.Vips;

namespace Tessera.Imaging.Tests.Pipeline;

/// <summary>
/// Pyramids whose source carries an ICC profile, through the real pipeline: an sRGB-tagged one takes the same fast
/// paths as an untagged one (its pixels are sRGB already), an Adobe RGB one is transformed by libvips, and both give
/// the colours libvips' own transform of the level gives.
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
    [InlineData("adobe.tif", "0,0,256,256", "256,256", RenderOrigin.Rendered)]
    [InlineData("adobe.tif", "100,150,300,400", "max", RenderOrigin.Rendered)]
    public async Task Tagged_sources_give_libvips_transformed_colours_by_the_fastest_path_that_can(string identifier, string region, string size, RenderOrigin origin)
    {
        var pipeline = BatchPipeline.Create(_root, jobs: 1);

        var result = await PipelineRequests.Image(pipeline, identifier, region, size);

        Assert.Equal(origin, result.Image.Origin);
        Assert.NotNull(result.Source.Profile);
        var r = result.Plan.Region;
        using var file = VipsImage.NewFromFile(Path.Combine(_root, identifier));
        using var transformed = file.Call("icc_transform", ("output_profile", "srgb"), ("embedded", true), ("intent", "relative"), ("depth", 8));
        using var cut = transformed.ExtractArea(r.X, r.Y, r.Width, r.Height);
        using var expected = cut.Resize((double)result.Plan.Width / r.Width, (double)result.Plan.Height / r.Height);
        using var actual = VipsImage.NewFromBuffer(result.Image.Data);
        Assert.Equal((result.Plan.Width, result.Plan.Height), (actual.Width, actual.Height));
        Assert.False(actual.HasField("icc-profile-data"));

        var tolerance = origin == RenderOrigin.StoredTile ? 1.0 : 2.5;
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

    private static double MeanDifference(VipsImage actual, VipsImage expected)
    {
        using var area = expected.ExtractArea(0, 0, actual.Width, actual.Height);
        using var difference = VipsOperation.Image("subtract", ("left", actual), ("right", area));
        using var absolute = difference.Call("abs");
        return absolute.Average();
    }
}
