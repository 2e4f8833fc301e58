using Tessera.Core.Iiif;
using Tessera.Core.Planning;

namespace Tessera.Core.Tests.Planning;

/// <summary>Sources and a helper shared by the planning tests.</summary>
internal static class PlanTestData
{
    public static SourceInfo Square1000 { get; } = SourceInfo.Single(1000, 1000);

    /// <summary>A 6000x4000 tiled pyramid with five levels, 512px tiles.</summary>
    public static SourceInfo Pyramid { get; } = new(6000, 4000,
    [
        new PyramidLevel(0, 6000, 4000, 512, 512),
        new PyramidLevel(1, 3000, 2000, 512, 512),
        new PyramidLevel(2, 1500, 1000, 512, 512),
        new PyramidLevel(3, 750, 500, 512, 512),
        new PyramidLevel(4, 375, 250, 512, 512),
    ]);

    public static ServerLimits Unlimited { get; } = new(100_000, 100_000, 10_000_000_000);

    public static Outcome<ImagePlan> Plan(
        SourceInfo source,
        string region,
        string size,
        string rotation = "0",
        ApiVersion version = ApiVersion.V3,
        ServerLimits? limits = null,
        string qualityAndFormat = "default.jpg")
    {
        var request = ImageRequestParser.Parse(version, "id", region, size, rotation, qualityAndFormat);
        Assert.True(request.IsSuccess, request.Error?.ToString());
        return ImagePlanner.Plan(request.Value, source, limits ?? Unlimited);
    }
}
