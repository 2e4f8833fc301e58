using Tessera.Imaging.Batch;
using Tessera.Imaging.Rendering;
using Tessera.Testing;

namespace Tessera.Imaging.Tests.Pipeline;

/// <summary>
/// A right-edge stored tile is cut once per file version and then answered from <see cref="CroppedEdgeTiles"/>, byte
/// for byte what the cut gave; the file replaced (a new version) is cut afresh, never answered with the old bytes.
/// </summary>
public sealed class CroppedEdgeTileTests : IDisposable
{
    private readonly MasterFixtures _masters = new("tessera-edge-");

    public void Dispose() => _masters.Dispose();

    [Fact]
    public async Task A_right_edge_tile_is_cut_once_per_file_version()
    {
        _masters.Pyramid("p.tif", 1000);
        var pipeline = BatchPipeline.Create(_masters.Root, jobs: 1);
        var memo = pipeline.Renderer.JpegTiles.CroppedEdges;

        // An inner tile is not kept; the right edge (768 + 232 = 1000) is.
        var inner = await PipelineRequests.Image(pipeline, "p.tif", "256,0,256,256", "256,256");
        Assert.Equal(RenderOrigin.StoredTile, inner.Image.Origin);
        Assert.Equal(0, memo.Bytes);
        var first = await PipelineRequests.Image(pipeline, "p.tif", "768,0,232,256", "232,256");
        Assert.Equal(RenderOrigin.StoredTile, first.Image.Origin);
        var kept = memo.Bytes;
        Assert.True(kept > 0, "the cut edge tile was not kept");
        var again = await PipelineRequests.Image(pipeline, "p.tif", "768,0,232,256", "232,256");
        Assert.Equal(first.Image.Data, again.Image.Data);
        Assert.Equal(kept, memo.Bytes);

        // Another picture under the same name, written aside and renamed over: its own cut, not the kept one.
        var other = new MasterFixtures("tessera-edge-other-");
        try
        {
            _ = other.Pyramid("p.tif", 1000, tile: 256);
            using (var image = Vips.VipsImage.NewFromFile(Path.Combine(other.Root, "p.tif")))
            using (var inverted = image.Call("invert"))
            {
                inverted.SaveToFile("tiffsave", Path.Combine(_masters.Root, "p.tif.new"), ("tile", true), ("tile_width", 256), ("tile_height", 256), ("pyramid", true), ("compression", "jpeg"), ("Q", 90));
            }

            File.Move(Path.Combine(_masters.Root, "p.tif.new"), Path.Combine(_masters.Root, "p.tif"), overwrite: true);
            var replaced = await PipelineRequests.Image(pipeline, "p.tif", "768,0,232,256", "232,256");
            Assert.Equal(RenderOrigin.StoredTile, replaced.Image.Origin);
            Assert.NotEqual(first.Image.Data, replaced.Image.Data);
            using var a = Vips.VipsImage.NewFromBuffer(first.Image.Data);
            using var b = Vips.VipsImage.NewFromBuffer(replaced.Image.Data);
            Assert.True(Math.Abs(a.Average() + b.Average() - 255) < 4, $"means {a.Average():F1} and {b.Average():F1} are not of a picture and its negative");
        }
        finally
        {
            other.Dispose();
        }
    }
}
