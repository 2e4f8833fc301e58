using System.Text.Json.Nodes;
using Tessera.Core.Compliance;
using Tessera.Core.Iiif;
using Tessera.Core.Info;
using Tessera.Core.Planning;
using Tessera.Core.Tests.Planning;

namespace Tessera.Core.Tests.Info;

public class InfoDocumentTests
{
    private const string Id = "https://example.org/iiif/3/abcd1234";

    [Fact]
    public void A_3_0_document_for_a_pyramid_has_every_required_property_and_the_real_tiles()
    {
        var info = InfoDocument.Build(ApiVersion.V3, Id, PlanTestData.Pyramid, ServerLimits.Default, InfoOptions.Default);

        Assert.Equal("@context", info.First().Key);
        Assert.Equal("http://iiif.io/api/image/3/context.json", (string?)info["@context"]);
        Assert.Equal(Id, (string?)info["id"]);
        Assert.Equal("ImageService3", (string?)info["type"]);
        Assert.Equal("http://iiif.io/api/image", (string?)info["protocol"]);
        Assert.Equal("level2", (string?)info["profile"]);
        Assert.Equal((6000, 4000), ((int)info["width"]!, (int)info["height"]!));
        Assert.Equal((10_000, 10_000, 50_000_000L), ((int)info["maxWidth"]!, (int)info["maxHeight"]!, (long)info["maxArea"]!));
        Assert.Equal("[[375,250],[750,500],[1500,1000],[3000,2000],[6000,4000]]", SizesText(info));
        Assert.Equal("""[{"width":512,"scaleFactors":[1,2,4,8,16]}]""", info["tiles"]!.ToJsonString());
        Assert.Equal(["webp", "tif", "gif", "jp2", "avif", "jxl", "pdf"], Strings(info["extraFormats"]));
        Assert.Equal(["color", "gray", "bitonal"], Strings(info["extraQualities"]));
        Assert.Equal(["canonicalLinkHeader", "mirroring", "profileLinkHeader", "rotationArbitrary", "sizeUpscaling"], Strings(info["extraFeatures"]));
        Assert.Null(info["rights"]);
        Assert.Null(info["preferredFormats"]);
    }

    [Fact]
    public void A_2_1_document_for_a_pyramid_carries_the_profile_object()
    {
        var info = InfoDocument.Build(ApiVersion.V2, Id + "/", PlanTestData.Pyramid, ServerLimits.Default, InfoOptions.Default);

        Assert.Equal("http://iiif.io/api/image/2/context.json", (string?)info["@context"]);
        Assert.Equal(Id, (string?)info["@id"]);
        Assert.Equal("http://iiif.io/api/image", (string?)info["protocol"]);
        Assert.Null(info["id"]);
        Assert.Null(info["type"]);
        var profile = info["profile"]!.AsArray();
        Assert.Equal("http://iiif.io/api/image/2/level2.json", (string?)profile[0]);
        var description = profile[1]!.AsObject();
        Assert.Equal(["jpg", "png", "webp", "tif", "gif", "jp2", "avif", "jxl", "pdf"], Strings(description["formats"]));
        Assert.Equal(["default", "color", "gray", "bitonal"], Strings(description["qualities"]));
        Assert.Equal(["canonicalLinkHeader", "mirroring", "profileLinkHeader", "regionSquare", "rotationArbitrary", "sizeAboveFull"], Strings(description["supports"]));
        Assert.Equal(10_000, (int)description["maxWidth"]!);
        Assert.Equal("[[375,250],[750,500],[1500,1000],[3000,2000],[6000,4000]]", SizesText(info));
        Assert.Equal("""[{"width":512,"scaleFactors":[1,2,4,8,16]}]""", info["tiles"]!.ToJsonString());
    }

    [Fact]
    public void A_single_level_jpeg_gets_halvings_down_to_64px_and_default_tiles()
    {
        var info = InfoDocument.Build(ApiVersion.V3, Id, PlanTestData.Square1000, ServerLimits.Default, InfoOptions.Default);
        Assert.Equal("[[125,125],[250,250],[500,500],[1000,1000]]", SizesText(info));
        Assert.Equal("""[{"width":512,"scaleFactors":[1,2]}]""", info["tiles"]!.ToJsonString());

        var v2 = InfoDocument.Build(ApiVersion.V2, Id, SourceInfo.Single(6000, 4000), ServerLimits.Default, InfoOptions.Default with { DefaultTileSize = 256 });
        Assert.Equal("[[94,63],[188,125],[375,250],[750,500],[1500,1000],[3000,2000],[6000,4000]]", SizesText(v2));
        Assert.Equal("""[{"width":256,"scaleFactors":[1,2,4,8,16,32]}]""", v2["tiles"]!.ToJsonString());
    }

    [Fact]
    public void Sizes_stay_within_the_limits()
    {
        var limits = new ServerLimits(3000, 2000, 4_000_000);
        var info = InfoDocument.Build(ApiVersion.V3, Id, PlanTestData.Pyramid, limits, InfoOptions.Default);
        Assert.Equal("[[375,250],[750,500],[1500,1000]]", SizesText(info));

        var tight = InfoDocument.Build(ApiVersion.V3, Id, SourceInfo.Single(5000, 5000), new ServerLimits(4000, 4000, 16_000_000), InfoOptions.Default);
        Assert.Equal("[[79,79],[157,157],[313,313],[625,625],[1250,1250],[2500,2500]]", SizesText(tight));
    }

    [Fact]
    public void A_tiny_image_still_lists_its_own_size()
    {
        var info = InfoDocument.Build(ApiVersion.V3, Id, SourceInfo.Single(3, 7), ServerLimits.Default, InfoOptions.Default);
        Assert.Equal("[[3,7]]", SizesText(info));
        Assert.Equal("""[{"width":512,"scaleFactors":[1]}]""", info["tiles"]!.ToJsonString());
    }

    [Fact]
    public void Orientation_5_to_8_swaps_tile_and_level_sizes_into_displayed_space()
    {
        var source = new SourceInfo(2000, 3000, [new PyramidLevel(0, 3000, 2000, 512, 256), new PyramidLevel(1, 1500, 1000, 512, 256)], Orientation: 6);
        var info = InfoDocument.Build(ApiVersion.V3, Id, source, ServerLimits.Default, InfoOptions.Default);
        Assert.Equal((2000, 3000), ((int)info["width"]!, (int)info["height"]!));
        Assert.Equal("[[1000,1500],[2000,3000]]", SizesText(info));
        Assert.Equal("""[{"width":256,"height":512,"scaleFactors":[1,2,4,8]}]""", info["tiles"]!.ToJsonString());
    }

    [Fact]
    public void Rights_and_preferred_formats_appear_when_set_and_rights_is_license_in_2_1()
    {
        var options = InfoOptions.Default with
        {
            Rights = "http://rightsstatements.org/vocab/InC-EDU/1.0/",
            PreferredFormats = [ImageFormat.Webp, ImageFormat.Png],
            Attribution = "Example Library",
        };
        var v3 = InfoDocument.Build(ApiVersion.V3, Id, PlanTestData.Square1000, ServerLimits.Default, options);
        Assert.Equal("http://rightsstatements.org/vocab/InC-EDU/1.0/", (string?)v3["rights"]);
        Assert.Equal(["webp", "png"], Strings(v3["preferredFormats"]));
        Assert.Null(v3["attribution"]);

        var v2 = InfoDocument.Build(ApiVersion.V2, Id, PlanTestData.Square1000, ServerLimits.Default, options);
        Assert.Equal("http://rightsstatements.org/vocab/InC-EDU/1.0/", (string?)v2["license"]);
        Assert.Equal("Example Library", (string?)v2["attribution"]);
        Assert.Null(v2["rights"]);
    }

    [Fact]
    public void Switching_a_feature_off_removes_it_from_both_documents()
    {
        var options = InfoOptions.Default with { Profile = ServiceProfile.Default.Without(IiifFeature.RotationArbitrary, IiifFeature.RegionSquare) };
        var v3 = InfoDocument.Build(ApiVersion.V3, Id, PlanTestData.Square1000, ServerLimits.Default, options);
        Assert.DoesNotContain("rotationArbitrary", Strings(v3["extraFeatures"]));
        var v2 = InfoDocument.Build(ApiVersion.V2, Id, PlanTestData.Square1000, ServerLimits.Default, options);
        var supports = Strings(v2["profile"]![1]!["supports"]);
        Assert.DoesNotContain("rotationArbitrary", supports);
        Assert.DoesNotContain("regionSquare", supports);
    }

    [Fact]
    public void Every_advertised_size_and_tile_is_servable_by_the_planner()
    {
        foreach (var version in new[] { ApiVersion.V2, ApiVersion.V3 })
        {
            foreach (var source in new[] { PlanTestData.Pyramid, PlanTestData.Square1000, SourceInfo.Single(3001, 1999) })
            {
                var limits = new ServerLimits(2500, 2500, 5_000_000);
                foreach (var (w, h) in InfoDocument.Sizes(source, limits, InfoOptions.Default))
                {
                    var request = ImageRequestParser.Parse(version, "id", "full", $"{w},{h}", "0", "default.jpg").Value;
                    var plan = ImagePlanner.Plan(request, source, limits);
                    Assert.True(plan.IsSuccess, plan.Error?.ToString());
                    Assert.Equal((w, h), (plan.Value.Width, plan.Value.Height));
                }
            }
        }
    }

    private static string SizesText(JsonObject info) =>
        "[" + string.Join(',', info["sizes"]!.AsArray().Select(s => $"[{(int)s!["width"]!},{(int)s["height"]!}]")) + "]";

    private static string[] Strings(JsonNode? node) => node!.AsArray().Select(n => (string)n!).ToArray();
}
