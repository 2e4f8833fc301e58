using Tessera.Core.Iiif;
using Tessera.Core.Tiles;

namespace Tessera.Core.Tests.Tiles;

public sealed class SeedLayoutTests
{
    [Fact]
    public void Scale_factors_go_up_to_the_first_that_fits_one_tile()
    {
        Assert.Equal([1, 2, 4], SeedLayout.ScaleFactors(1000, 750, 256, 256));
        Assert.Equal([1], SeedLayout.ScaleFactors(200, 100, 256, 256));
    }

    [Fact]
    public void Version_3_tiles_are_the_paths_vips_dzsave_iiif3_writes()
    {
        // From `vips dzsave t.jpg out --layout iiif3 --tile-size 256` on a 1000×750 image.
        var paths = SeedLayout.Tiles(ApiVersion.V3, 1000, 750, 256, 256, [1, 2, 4]).Select(t => t.Path).ToHashSet();

        foreach (var expected in new[]
        {
            "0,0,256,256/256,256/0/default.jpg",
            "512,0,256,256/256,256/0/default.jpg",
            "768,512,232,238/232,238/0/default.jpg",
            "0,0,512,512/256,256/0/default.jpg",
            "512,0,488,512/244,256/0/default.jpg",
            "0,512,512,238/256,119/0/default.jpg",
            "0,0,1000,750/250,188/0/default.jpg",
        })
        {
            Assert.Contains(expected, paths);
        }

        // 4×3 + 2×2 + 1 tiles, plus the single-tile level as OpenSeadragon asks for it.
        Assert.Equal(12 + 4 + 1 + 1, paths.Count);
        Assert.Contains("full/250,/0/default.jpg", paths);
    }

    [Fact]
    public void Version_2_sizes_give_the_width_only()
    {
        var tiles = SeedLayout.Tiles(ApiVersion.V2, 1000, 750, 256, 256, [1, 2]).ToList();

        Assert.Contains(tiles, t => t.Path == "512,0,488,512/244,/0/default.jpg");
        Assert.All(tiles, t => Assert.EndsWith(",", t.Size, StringComparison.Ordinal));
    }

    [Fact]
    public void Sizes_become_whole_image_files_and_paths_are_never_repeated()
    {
        var all = SeedLayout.All(ApiVersion.V3, 1000, 750, 256, 256, [1, 2, 4], [(250, 188), (500, 375), (1000, 750)]);

        Assert.Contains(all, t => t.Path == "full/500,375/0/default.jpg");
        Assert.Contains(all, t => t.Path == "full/1000,750/0/default.jpg");
        Assert.Equal(all.Count, all.Select(t => t.Path).Distinct().Count());
    }
}
