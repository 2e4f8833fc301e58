using Tessera.Core.Planning;
using Tessera.Imaging.Batch;
using Tessera.Imaging.Rendering;
using Tessera.Imaging.Sources;
using Tessera.Imaging.Tests.Tiff;

namespace Tessera.Imaging.Tests.Rendering;

/// <summary>How each kind of level is opened and what stays open: kinds without pixels, then one real pyramid.</summary>
public sealed class LevelOpenerTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("tessera-levels-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static SourceDescription Source(SourceLoader loader) =>
        new(new ResolvedSource("s", "/tmp/s", DateTimeOffset.UnixEpoch, 1), SourceInfo.Single(4000, 3000), loader, "load");

    [Theory]
    [InlineData(SourceLoader.Tiff, 1, 2000, 1500, 256, true, true)]     // a small tiled level: decoded and held
    [InlineData(SourceLoader.Tiff, 0, 2000, 1500, 256, true, false)]    // the full resolution is never held
    [InlineData(SourceLoader.Tiff, 1, 4000, 3000, 256, true, false)]    // too many pixels to hold
    [InlineData(SourceLoader.Tiff, 0, 4000, 3000, 0, false, false)]     // strips stream
    [InlineData(SourceLoader.Jpeg2000, 1, 2000, 1500, 0, true, false)]
    [InlineData(SourceLoader.Jpeg, 1, 2000, 1500, 0, false, false)]
    [InlineData(SourceLoader.Other, 0, 4000, 3000, 0, false, false)]
    public void A_level_is_random_access_or_held_by_its_kind(SourceLoader loader, int index, int width, int height, int tile, bool randomAccess, bool held)
    {
        var level = new PyramidLevel(index, width, height, tile, tile);

        Assert.Equal(randomAccess, LevelOpener.IsRandomAccess(Source(loader), level));
        Assert.Equal(held, LevelOpener.IsHeld(Source(loader), level));
    }

    [Fact]
    public void One_forget_closes_the_levels_and_the_file_handles_of_a_path()
    {
        BatchPipeline.ConfigureVips(1);
        File.Copy(TiffFixtures.PathOf("ycbcr"), Path.Combine(_root, "ycbcr.tif"));
        var source = BatchPipeline.Create(_root, jobs: 1).Catalog.Describe("ycbcr.tif").Value;
        var levels = new LevelOpener();

        using (var full = levels.Open(source, source.Info.Levels[0]))
        using (var held = levels.OpenIfHeld(source, source.Info.Levels[1]))
        {
            Assert.False(full.IsInMemory);
            Assert.True(held!.IsInMemory);
            Assert.Null(levels.OpenIfHeld(source, source.Info.Levels[0]));
        }

        levels.OpenFile(source.Source);
        Assert.Equal(2, levels.OpenImages.Count);

        Assert.Equal(3, levels.Forget(source.Source.Path));
        Assert.Equal(0, levels.OpenImages.Count);
        Assert.Equal(0, levels.Forget(source.Source.Path));
    }
}
