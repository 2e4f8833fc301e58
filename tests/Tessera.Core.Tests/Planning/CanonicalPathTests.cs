using Tessera.Core.Iiif;
using Tessera.Core.Planning;
using static Tessera.Core.Tests.Planning.PlanTestData;

namespace Tessera.Core.Tests.Planning;

public class CanonicalPathTests
{
    private static readonly SourceInfo SpecExample = SourceInfo.Single(300, 200);

    [Theory]
    [InlineData("full", "max", "0", "default.jpg", "full/max/0/default.jpg")]
    [InlineData("0,0,300,200", "max", "0", "default.jpg", "full/max/0/default.jpg")]
    [InlineData("pct:0,0,100,100", "300,200", "0", "default.jpg", "full/max/0/default.jpg")]
    [InlineData("square", "max", "0", "default.jpg", "50,0,200,200/max/0/default.jpg")]
    [InlineData("125,15,120,140", "90,", "!345", "gray.jpg", "125,15,120,140/90,105/!345/gray.jpg")]
    [InlineData("pct:41.6,7.5,40,70", "max", "0", "default.jpg", "125,15,120,140/max/0/default.jpg")]
    [InlineData("125,15,200,200", "max", "0", "default.jpg", "125,15,175,185/max/0/default.jpg")]
    [InlineData("full", "150,", "0", "default.jpg", "full/150,100/0/default.jpg")]
    [InlineData("full", "pct:50", "0", "color.png", "full/150,100/0/color.png")]
    [InlineData("full", "!225,100", "0", "default.jpg", "full/150,100/0/default.jpg")]
    [InlineData("full", "225,100", "0", "default.jpg", "full/225,100/0/default.jpg")]
    [InlineData("full", "^360,", "0", "default.jpg", "full/^360,240/0/default.jpg")]
    [InlineData("full", "^300,", "0", "default.jpg", "full/max/0/default.jpg")]
    [InlineData("full", "max", "22.50", "default.png", "full/max/22.5/default.png")]
    [InlineData("full", "max", "360", "default.jpg", "full/max/0/default.jpg")]
    [InlineData("full", "max", "!0", "default.jpg", "full/max/!0/default.jpg")]
    [InlineData("full", "max", "090.0", "bitonal.tif", "full/max/90/bitonal.tif")]
    public void Canonical_3_0_paths_follow_section_4_8(string region, string size, string rotation, string qf, string canonical)
    {
        var plan = Plan(SpecExample, region, size, rotation, ApiVersion.V3, qualityAndFormat: qf).Value;
        Assert.Equal(canonical, plan.CanonicalPath(ApiVersion.V3));
    }

    [Fact]
    public void Max_and_caret_max_are_canonical_when_the_limits_shape_the_size()
    {
        var limits = new ServerLimits(360, 10_000, 100_000_000) { UpscaleCaretMaxToLimits = true };
        Assert.Equal("full/^max/0/default.jpg", Plan(SpecExample, "full", "^max", limits: limits).Value.CanonicalPath(ApiVersion.V3));
        Assert.Equal("full/^max/0/default.jpg", Plan(SpecExample, "full", "^360,", limits: limits).Value.CanonicalPath(ApiVersion.V3));
        var small = new ServerLimits(200, 10_000, 100_000_000);
        Assert.Equal("full/max/0/default.jpg", Plan(SpecExample, "full", "max", limits: small).Value.CanonicalPath(ApiVersion.V3));
        Assert.Equal("full/200,/0/default.jpg", Plan(SpecExample, "full", "max", version: ApiVersion.V2, limits: small).Value.CanonicalPath(ApiVersion.V2));
    }

    [Fact]
    public void By_default_caret_max_is_the_region_size_and_canonically_max()
    {
        var limits = new ServerLimits(360, 10_000, 100_000_000);

        Assert.Equal("full/max/0/default.jpg", Plan(SpecExample, "full", "^max", limits: limits).Value.CanonicalPath(ApiVersion.V3));
        Assert.Equal("full/^360,240/0/default.jpg", Plan(SpecExample, "full", "^360,", limits: limits).Value.CanonicalPath(ApiVersion.V3));
    }

    [Theory]
    [InlineData("full", "full", "0", "default.jpg", "full/full/0/default.jpg")]
    [InlineData("full", "max", "0", "default.jpg", "full/full/0/default.jpg")]
    [InlineData("0,0,300,200", "300,200", "0", "default.jpg", "full/full/0/default.jpg")]
    [InlineData("full", "150,", "0", "default.jpg", "full/150,/0/default.jpg")]
    [InlineData("full", ",100", "0", "default.jpg", "full/150,/0/default.jpg")]
    [InlineData("full", "pct:50", "0", "default.jpg", "full/150,/0/default.jpg")]
    [InlineData("full", "!225,100", "0", "default.jpg", "full/150,/0/default.jpg")]
    [InlineData("full", "150,100", "0", "default.jpg", "full/150,/0/default.jpg")]
    [InlineData("full", "225,100", "0", "default.jpg", "full/225,100/0/default.jpg")]
    [InlineData("full", "600,", "0", "default.jpg", "full/600,/0/default.jpg")]
    [InlineData("125,15,120,140", "90,", "!345", "gray.jpg", "125,15,120,140/90,/!345/gray.jpg")]
    [InlineData("full", "full", "22.50", "default.png", "full/full/22.5/default.png")]
    public void Canonical_2_1_paths_follow_section_4_7(string region, string size, string rotation, string qf, string canonical)
    {
        var plan = Plan(SpecExample, region, size, rotation, ApiVersion.V2, qualityAndFormat: qf).Value;
        Assert.Equal(canonical, plan.CanonicalPath(ApiVersion.V2));
    }

    [Fact]
    public void A_square_region_of_a_square_image_is_full_in_both_versions()
    {
        var plan = Plan(Square1000, "square", "max").Value;
        Assert.Equal("full/max/0/default.jpg", plan.CanonicalPath(ApiVersion.V3));
        Assert.Equal("full/full/0/default.jpg", plan.CanonicalPath(ApiVersion.V2));
    }

    [Fact]
    public void Full_max_and_the_same_pixels_spelled_otherwise_share_one_cache_key_across_versions()
    {
        var keys = new[]
        {
            Plan(Pyramid, "full", "max").Value.CacheKey,
            Plan(Pyramid, "0,0,6000,4000", "max").Value.CacheKey,
            Plan(Pyramid, "pct:0,0,100,100", "6000,").Value.CacheKey,
            Plan(Pyramid, "full", "full", version: ApiVersion.V2).Value.CacheKey,
            Plan(Pyramid, "0,0,9000,9000", "pct:100", version: ApiVersion.V2).Value.CacheKey,
        };
        Assert.All(keys, k => Assert.Equal("full/6000,4000/0/default.jpg", k));
        Assert.NotEqual(keys[0], Plan(Pyramid, "full", "max", qualityAndFormat: "color.jpg").Value.CacheKey);
    }

    [Fact]
    public void Every_canonical_path_reparses_to_the_same_plan()
    {
        var random = new Random(42);
        var sizes3 = new[] { "max", "^max", "{w},", ",{h}", "pct:{p}", "^pct:{P}", "{w},{h}", "!{w},{h}", "^!{W},{H}", "^{W},", "^{W},{H}" };
        var sizes2 = new[] { "full", "max", "{w},", ",{h}", "pct:{p}", "pct:{P}", "{w},{h}", "!{w},{h}", "{W},{H}" };
        var checkedPlans = 0;
        for (var i = 0; i < 3000; i++)
        {
            var version = i % 2 == 0 ? ApiVersion.V3 : ApiVersion.V2;
            var source = SourceInfo.Single(random.Next(1, 3000), random.Next(1, 3000));
            var limits = random.Next(3) == 0 ? new ServerLimits(random.Next(100, 4000), random.Next(100, 4000), random.Next(10_000, 8_000_000)) : Unlimited;
            var region = random.Next(4) switch
            {
                0 => "full",
                1 => "square",
                2 => $"{random.Next(source.Width)},{random.Next(source.Height)},{random.Next(1, 3000)},{random.Next(1, 3000)}",
                _ => $"pct:{random.Next(0, 99)}.{random.Next(10)},{random.Next(0, 99)},{random.Next(1, 100)}.5,{random.Next(1, 100)}",
            };
            var template = (version == ApiVersion.V3 ? sizes3 : sizes2)[random.Next(sizes3.Length - (version == ApiVersion.V3 ? 0 : 2))];
            var size = template
                .Replace("{w}", random.Next(1, 500).ToString())
                .Replace("{h}", random.Next(1, 500).ToString())
                .Replace("{W}", random.Next(1, 5000).ToString())
                .Replace("{H}", random.Next(1, 5000).ToString())
                .Replace("{p}", $"{random.Next(1, 100)}.{random.Next(10)}")
                .Replace("{P}", random.Next(1, 300).ToString());
            var rotation = (random.Next(2) == 0 ? "!" : "") + (random.Next(3) == 0 ? $"{random.Next(360)}.{random.Next(1, 100)}" : random.Next(361).ToString());
            var request = ImageRequestParser.Parse(version, "id", region, size, rotation, "gray.png");
            Assert.True(request.IsSuccess, $"{region}/{size}/{rotation}: {request.Error}");
            var planned = ImagePlanner.Plan(request.Value, source, limits);
            if (!planned.IsSuccess)
            {
                Assert.Equal(400, planned.Error.Status);
                continue;
            }

            var plan = planned.Value;
            var canonical = plan.CanonicalPath(version).Split('/');
            var again = ImageRequestParser.Parse(version, "id", canonical[0], canonical[1], canonical[2], canonical[3]);
            Assert.True(again.IsSuccess, string.Join('/', canonical));
            var replanned = ImagePlanner.Plan(again.Value, source, limits);
            Assert.True(replanned.IsSuccess, $"{string.Join('/', canonical)} from {region}/{size} on {source.Width}x{source.Height}: {replanned.Error}");
            Assert.Equal(plan, replanned.Value);
            Assert.Equal(plan.CanonicalPath(version), replanned.Value.CanonicalPath(version));
            Assert.Equal(plan.CacheKey, replanned.Value.CacheKey);
            checkedPlans++;
        }

        Assert.True(checkedPlans > 1000, $"only {checkedPlans} plans succeeded");
    }
}
