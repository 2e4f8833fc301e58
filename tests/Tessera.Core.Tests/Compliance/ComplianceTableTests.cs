using Tessera.Core.Compliance;
using Tessera.Core.Iiif;

namespace Tessera.Core.Tests.Compliance;

public class ComplianceTableTests
{
    [Fact]
    public void Every_feature_has_exactly_one_row()
    {
        Assert.Equal(Enum.GetValues<IiifFeature>().Order(), ComplianceTable.Features.Select(f => f.Feature).Order());
        Assert.Equal(ComplianceTable.Features.Count, ComplianceTable.Features.Select(f => f.Name).Distinct().Count());
    }

    [Theory]
    [InlineData("regionByPx", 1, 1)]
    [InlineData("regionByPct", 2, 2)]
    [InlineData("regionSquare", 3, 1)]
    [InlineData("sizeByW", 1, 1)]
    [InlineData("sizeByPct", 1, 2)]
    [InlineData("sizeByConfinedWh", 2, 2)]
    [InlineData("sizeByWh", 2, 2)]
    [InlineData("sizeByDistortedWh", 2, -1)]
    [InlineData("sizeAboveFull", 3, -1)]
    [InlineData("sizeUpscaling", -1, 3)]
    [InlineData("rotationBy90s", 2, 2)]
    [InlineData("rotationArbitrary", 3, 3)]
    [InlineData("mirroring", 3, 3)]
    [InlineData("baseUriRedirect", 1, 1)]
    [InlineData("cors", 1, 1)]
    [InlineData("jsonldMediaType", 1, 1)]
    public void Levels_match_the_compliance_documents(string name, int v2, int v3)
    {
        var row = ComplianceTable.Features.Single(f => f.Name == name);
        Assert.Equal((v2, v3), (row.V2Level, row.V3Level));
    }

    [Fact]
    public void Jpg_and_png_are_level_2_formats_and_default_is_the_only_3_0_quality_that_is_not_extra()
    {
        Assert.True(ImageFormat.Png.IsRequiredAt(2));
        Assert.False(ImageFormat.Png.IsRequiredAt(1));
        Assert.False(ImageFormat.Webp.IsRequiredAt(2));
        Assert.False(Quality.Color.IsRequiredAt(ApiVersion.V3, 2));
        Assert.True(Quality.Bitonal.IsRequiredAt(ApiVersion.V2, 2));
        Assert.Equal("http://iiif.io/api/image/3/level2.json", ComplianceTable.ProfileUri(ApiVersion.V3, 2));
    }

    [Theory]
    [InlineData("full", "max", "0", "")]
    [InlineData("1,2,3,4", "10,", "90", "regionByPx sizeByW rotationBy90s")]
    [InlineData("pct:1,2,3,4", ",10", "!22.5", "regionByPct sizeByH mirroring rotationArbitrary")]
    [InlineData("square", "^!10,10", "360", "regionSquare sizeByConfinedWh sizeUpscaling")]
    public void A_request_names_the_features_its_syntax_needs(string region, string size, string rotation, string features)
    {
        var request = ImageRequestParser.Parse(ApiVersion.V3, "id", region, size, rotation, "default.jpg").Value;
        Assert.Equal(features, string.Join(' ', request.RequiredFeatures.Select(f => f.Name())));
    }
}
