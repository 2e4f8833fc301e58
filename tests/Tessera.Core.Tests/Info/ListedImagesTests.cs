using Tessera.Core.Iiif;
using Tessera.Core.Info;
using Tessera.Core.Planning;
using Tessera.Core.Tests.Planning;
using Tessera.Core.Tiles;

namespace Tessera.Core.Tests.Info;

public sealed class ListedImagesTests
{
    private static readonly ServerLimits Limits = new(2500, 2500, 5_000_000);

    private static ImagePlan Plan(ApiVersion version, SourceInfo source, string region, string size, string rotation = "0", string qualityAndFormat = "default.jpg")
    {
        var request = ImageRequestParser.Parse(version, "id", region, size, rotation, qualityAndFormat).Value;
        var plan = ImagePlanner.Plan(request, source, Limits);
        Assert.True(plan.IsSuccess, plan.Error?.ToString());
        return plan.Value;
    }

    [Fact]
    public void Every_tile_and_size_an_info_json_lists_is_listed()
    {
        foreach (var version in new[] { ApiVersion.V2, ApiVersion.V3 })
        {
            foreach (var source in new[] { PlanTestData.Pyramid, PlanTestData.Square1000, SourceInfo.Single(3001, 1999) })
            {
                var (tw, th, factors) = InfoDocument.Tiles(source, Limits, InfoOptions.Default);
                var targets = SeedLayout.All(version, source.Width, source.Height, tw, th, factors, InfoDocument.Sizes(source, Limits, InfoOptions.Default));
                Assert.NotEmpty(targets);
                foreach (var target in targets)
                {
                    Assert.True(ListedImages.Contains(Plan(version, source, target.Region, target.Size), Limits, InfoOptions.Default), $"{version} {source.Width}x{source.Height} {target.Region}/{target.Size}");
                }
            }
        }
    }

    [Theory]
    [InlineData("1,0,256,256", "256,256", "0", "default.jpg")]       // off the grid
    [InlineData("0,0,300,300", "300,300", "0", "default.jpg")]       // not a tile's size
    [InlineData("0,0,256,256", "128,128", "0", "default.jpg")]       // a tile at another scale
    [InlineData("0,0,256,256", "256,256", "90", "default.jpg")]      // rotated
    [InlineData("0,0,256,256", "256,256", "0", "gray.jpg")]          // another quality
    [InlineData("0,0,256,256", "256,256", "0", "default.png")]       // not a preferred format
    [InlineData("full", "777,", "0", "default.jpg")]                 // a size info.json does not list
    [InlineData("square", "256,256", "0", "default.jpg")]
    public void Other_images_are_not(string region, string size, string rotation, string qualityAndFormat)
    {
        var plan = Plan(ApiVersion.V3, SourceInfo.Single(3001, 1999), region, size, rotation, qualityAndFormat);

        Assert.False(ListedImages.Contains(plan, Limits, InfoOptions.Default with { DefaultTileSize = 256 }));
    }

    [Fact]
    public void A_preferred_format_is_listed_too()
    {
        var options = InfoOptions.Default with { DefaultTileSize = 256, PreferredFormats = [ImageFormat.Webp] };
        Assert.True(ListedImages.Contains(Plan(ApiVersion.V3, SourceInfo.Single(3001, 1999), "0,0,256,256", "256,256", "0", "default.webp"), Limits, options));
    }
}
