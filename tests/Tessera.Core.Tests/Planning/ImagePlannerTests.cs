using Tessera.Core.Compliance;
using Tessera.Core.Iiif;
using Tessera.Core.Planning;
using static Tessera.Core.Tests.Planning.PlanTestData;

namespace Tessera.Core.Tests.Planning;

public class ImagePlannerTests
{
    private static readonly SourceInfo SpecExample = SourceInfo.Single(300, 200);

    [Theory]
    [InlineData("full", 0, 0, 300, 200)]
    [InlineData("square", 50, 0, 200, 200)]
    [InlineData("125,15,120,140", 125, 15, 120, 140)]
    [InlineData("pct:41.6,7.5,40,70", 125, 15, 120, 140)]
    [InlineData("125,15,200,200", 125, 15, 175, 185)] // "N.B. Returned image is 175,185 px"
    [InlineData("pct:41.6,7.5,66.6,100", 125, 15, 175, 185)]
    [InlineData("299,199,10,10", 299, 199, 1, 1)]
    public void The_spec_region_examples_resolve_on_a_300x200_image(string region, int x, int y, int w, int h)
    {
        var plan = Plan(SpecExample, region, "max").Value;
        Assert.Equal(new PixelRect(x, y, w, h), plan.Region);
        Assert.Equal((w, h), (plan.Width, plan.Height));
    }

    [Theory]
    [InlineData(6000, 4000, 1000, 0, 4000)]
    [InlineData(4000, 6000, 0, 1000, 4000)]
    [InlineData(3, 7, 0, 2, 3)]
    [InlineData(7, 3, 2, 0, 3)]
    [InlineData(1000, 1000, 0, 0, 1000)]
    public void Square_is_the_centred_largest_square(int width, int height, int x, int y, int side)
    {
        var plan = Plan(SourceInfo.Single(width, height), "square", "max").Value;
        Assert.Equal(new PixelRect(x, y, side, side), plan.Region);
        Assert.Equal(width == height, plan.IsFullRegion);
    }

    [Theory]
    [InlineData("1000,0,10,10")]
    [InlineData("0,1000,10,10")]
    [InlineData("5000,5000,10,10")]
    [InlineData("pct:100,0,10,10")]
    [InlineData("pct:0,100,10,10")]
    [InlineData("pct:0,0,0.01,10")] // rounds to 0 pixels wide
    public void A_region_entirely_outside_or_rounding_to_nothing_is_a_400(string region)
    {
        var error = Plan(Square1000, region, "max").Error!;
        Assert.Equal(400, error.Status);
        Assert.Equal("region", error.Parameter);
    }

    [Fact]
    public void Huge_pixel_regions_are_clipped_without_overflow()
    {
        var plan = Plan(Square1000, "999,999,2147483647,2147483647", "max").Value;
        Assert.Equal(new PixelRect(999, 999, 1, 1), plan.Region);
    }

    [Theory]
    [InlineData("max", 300, 200)]
    [InlineData("150,", 150, 100)]
    [InlineData(",150", 225, 150)]
    [InlineData("pct:50", 150, 100)]
    [InlineData("225,100", 225, 100)]
    [InlineData("!225,100", 150, 100)] // "N.B. Returned image is 150,100 px"
    [InlineData("^360,", 360, 240)]
    [InlineData("^,240", 360, 240)]
    [InlineData("^pct:120", 360, 240)]
    [InlineData("^360,360", 360, 360)]
    [InlineData("^!360,360", 360, 240)] // "N.B. Returned image is 360,240 px"
    public void The_3_0_size_examples_resolve_on_a_300x200_image(string size, int w, int h)
    {
        var plan = Plan(SpecExample, "full", size).Value;
        Assert.Equal((w, h), (plan.Width, plan.Height));
    }

    [Fact]
    public void Max_is_scaled_down_to_maxWidth_and_caret_max_up_to_it()
    {
        Assert.Equal((200, 133), Size(Plan(SpecExample, "full", "max", limits: new ServerLimits(200, 10_000, 100_000_000))));
        Assert.Equal((360, 240), Size(Plan(SpecExample, "full", "^max", limits: new ServerLimits(360, 10_000, 100_000_000) { UpscaleCaretMaxToLimits = true })));
        Assert.Equal((300, 200), Size(Plan(SpecExample, "full", "max", limits: new ServerLimits(360, 10_000, 100_000_000))));
    }

    [Fact]
    public void By_default_caret_max_never_enlarges_as_the_image_validator_expects()
    {
        Assert.Equal((300, 200), Size(Plan(SpecExample, "full", "^max", limits: new ServerLimits(360, 10_000, 100_000_000))));
        Assert.Equal((200, 133), Size(Plan(SpecExample, "full", "^max", limits: new ServerLimits(200, 10_000, 100_000_000))));
    }

    [Fact]
    public void Max_respects_maxHeight_and_maxArea()
    {
        Assert.Equal((3000, 2000), Size(Plan(Pyramid, "full", "max", limits: new ServerLimits(10_000, 2000, 100_000_000))));
        var (w, h) = Size(Plan(Pyramid, "full", "max", limits: new ServerLimits(10_000, 10_000, 4_000_000)));
        Assert.True((long)w * h <= 4_000_000);
        Assert.Equal((2449, 1633), (w, h));
    }

    [Theory]
    [InlineData("301,")]
    [InlineData(",201")]
    [InlineData("400,100")]
    [InlineData("300,201")]
    public void Without_a_caret_3_0_refuses_to_upscale(string size)
    {
        var error = Plan(SpecExample, "full", size).Error!;
        Assert.Equal(400, error.Status);
        Assert.Equal("size", error.Parameter);
        Assert.Contains("prefix ^", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bang_sizes_larger_than_the_region_need_a_caret_in_3_0_as_the_validator_checks()
    {
        Assert.Equal(400, Plan(Square1000, "full", "!2000,3000").Error!.Status);
        Assert.Equal((2000, 2000), Size(Plan(Square1000, "full", "^!2000,3000")));
    }

    [Theory]
    [InlineData(",1500", 1500, 1500)]
    [InlineData("1200,", 1200, 1200)]
    [InlineData("pct:200", 2000, 2000)]
    [InlineData("!2000,3000", 2000, 2000)]
    [InlineData("1100,1100", 1100, 1100)]
    [InlineData("full", 1000, 1000)]
    [InlineData("max", 1000, 1000)]
    public void Version_2_1_scales_above_full_size(string size, int w, int h)
    {
        Assert.Equal((w, h), Size(Plan(Square1000, "full", size, version: ApiVersion.V2)));
    }

    [Theory]
    [InlineData(ApiVersion.V3, "^2001,", "maxWidth 2000")]
    [InlineData(ApiVersion.V3, "^1000,2001", "maxHeight 2000")]
    [InlineData(ApiVersion.V3, "^2000,2000", "maxArea 3000000")]
    [InlineData(ApiVersion.V2, "2001,", "maxWidth 2000")]
    [InlineData(ApiVersion.V2, "pct:180", "maxArea 3000000")]
    public void Explicit_sizes_beyond_the_limits_are_a_400_naming_the_limit(ApiVersion version, string size, string limit)
    {
        var error = Plan(Square1000, "full", size, version: version, limits: new ServerLimits(2000, 2000, 3_000_000)).Error!;
        Assert.Equal(400, error.Status);
        Assert.Contains(limit, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bang_sizes_are_confined_by_the_limits_rather_than_refused()
    {
        Assert.Equal((1732, 1732), Size(Plan(Square1000, "full", "^!5000,5000", limits: new ServerLimits(2000, 2000, 3_000_000))));
    }

    [Fact]
    public void Full_size_in_2_1_beyond_the_limits_is_a_400()
    {
        Assert.Equal(400, Plan(Pyramid, "full", "full", version: ApiVersion.V2, limits: new ServerLimits(1000, 1000, 1_000_000)).Error!.Status);
        Assert.Equal((1000, 667), Size(Plan(Pyramid, "full", "max", version: ApiVersion.V2, limits: new ServerLimits(1000, 1000, 1_000_000))));
    }

    [Theory]
    [InlineData("pct:50", 2, 4)]
    [InlineData("1,", 1, 2)]
    [InlineData(",1", 0, 0)]
    [InlineData("pct:10", 0, 0)]
    [InlineData("!1,1", 0, 0)]
    [InlineData("2,", 2, 5)]
    public void Odd_sizes_round_half_up_and_zero_pixels_is_a_400(string size, int w, int h)
    {
        var outcome = Plan(SourceInfo.Single(3, 7), "full", size);
        if (w == 0)
        {
            Assert.Equal(400, outcome.Error!.Status);
            Assert.Equal("size", outcome.Error.Parameter);
        }
        else
        {
            Assert.Equal((w, h), Size(outcome));
        }
    }

    [Theory]
    [InlineData("1000,", 1000, 667)]
    [InlineData(",1000", 1500, 1000)]
    [InlineData("pct:33.3", 1998, 1332)]
    [InlineData("!1000,1000", 1000, 667)]
    [InlineData("!1000,100", 150, 100)]
    public void A_6000x4000_image_keeps_its_aspect_ratio_with_rounding(string size, int w, int h)
    {
        Assert.Equal((w, h), Size(Plan(Pyramid, "full", size)));
    }

    [Theory]
    [InlineData("0", 0, false)]
    [InlineData("360", 0, false)]
    [InlineData("!360", 0, true)]
    [InlineData("22.5", 22.5, false)]
    [InlineData("!90", 90, true)]
    public void Rotation_is_normalised_to_0_up_to_360(string rotation, double degrees, bool mirror)
    {
        var plan = Plan(Square1000, "full", "max", rotation).Value;
        Assert.Equal(degrees, plan.Rotation);
        Assert.Equal(mirror, plan.Mirror);
    }

    [Theory]
    [InlineData("full", "max", 0)]
    [InlineData("full", "3000,", 1)]
    [InlineData("full", "3002,", 0)]
    [InlineData("full", "1500,", 2)]
    [InlineData("full", "1502,", 1)]
    [InlineData("full", "751,", 3)] // a shortfall under one pixel is tolerated
    [InlineData("full", "752,", 2)]
    [InlineData("full", "375,", 4)]
    [InlineData("full", "100,", 4)]
    [InlineData("0,0,1024,1024", "512,", 1)]
    [InlineData("0,0,1024,1024", "256,", 2)]
    [InlineData("4096,0,1904,1024", "476,", 2)]
    [InlineData("0,0,4096,4000", "512,", 3)]
    [InlineData("0,0,100,100", "^200,", 0)]
    [InlineData("full", "3000,10", 1)]
    [InlineData("full", "10,2000", 1)]
    public void The_smallest_level_that_covers_the_output_is_read(string region, string size, int level)
    {
        Assert.Equal(level, Plan(Pyramid, region, size).Value.Level.Index);
    }

    [Fact]
    public void Level_scale_follows_the_displayed_axes_when_orientation_swaps_them()
    {
        var rotated = Pyramid with { Width = 4000, Height = 6000, Orientation = 6 };
        Assert.Equal(1, Plan(rotated, "full", ",3000").Value.Level.Index);
        Assert.Equal(0, Plan(rotated, "full", ",3002").Value.Level.Index);
        Assert.Equal(2, Plan(rotated, "0,0,2000,2000", "500,").Value.Level.Index);
    }

    [Fact]
    public void Quality_and_format_pass_through()
    {
        var plan = Plan(Square1000, "full", "max", qualityAndFormat: "bitonal.png").Value;
        Assert.Equal((Quality.Bitonal, ImageFormat.Png), (plan.Quality, plan.Format));
    }

    [Theory]
    [InlineData("pct:1,1,50,50", "max", "0", "regionByPct")]
    [InlineData("square", "max", "0", "regionSquare")]
    [InlineData("full", "max", "22.5", "rotationArbitrary")]
    [InlineData("full", "max", "!0", "mirroring")]
    [InlineData("full", "^max", "0", "sizeUpscaling")]
    [InlineData("full", "!10,10", "0", "sizeByConfinedWh")]
    public void A_feature_switched_off_is_a_501(string region, string size, string rotation, string featureName)
    {
        var feature = ComplianceTable.Features.Single(f => f.Name == featureName).Feature;
        var request = ImageRequestParser.Parse(ApiVersion.V3, "id", region, size, rotation, "default.jpg").Value;
        var error = ImagePlanner.Plan(request, Square1000, Unlimited, ServiceProfile.Default.Without(feature)).Error!;
        Assert.Equal(501, error.Status);
        Assert.Contains(featureName, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Upscaling_in_2_1_without_sizeAboveFull_is_a_501_but_downscaling_still_works()
    {
        var profile = ServiceProfile.Default.Without(IiifFeature.SizeAboveFull);
        var up = ImageRequestParser.Parse(ApiVersion.V2, "id", "full", "2000,", "0", "default.jpg").Value;
        var down = ImageRequestParser.Parse(ApiVersion.V2, "id", "full", "500,", "0", "default.jpg").Value;
        Assert.Equal(501, ImagePlanner.Plan(up, Square1000, Unlimited, profile).Error!.Status);
        Assert.True(ImagePlanner.Plan(down, Square1000, Unlimited, profile).IsSuccess);
    }

    [Fact]
    public void A_format_the_service_does_not_offer_is_a_400()
    {
        var profile = ServiceProfile.Default with { Formats = [ImageFormat.Jpg, ImageFormat.Png] };
        var request = ImageRequestParser.Parse(ApiVersion.V3, "id", "full", "max", "0", "default.avif").Value;
        var error = ImagePlanner.Plan(request, Square1000, Unlimited, profile).Error!;
        Assert.Equal((400, "format"), (error.Status, error.Parameter));
    }

    private static (int, int) Size(Outcome<ImagePlan> outcome)
    {
        Assert.True(outcome.IsSuccess, outcome.Error?.ToString());
        return (outcome.Value.Width, outcome.Value.Height);
    }
}
