using Tessera.Testing;
using Tessera.Core.Iiif;
using Tessera.Imaging.Batch;
using Tessera.Imaging.Rendering;

namespace Tessera.Imaging.Tests.Batch;

public sealed class SeedOptionsTests : IDisposable
{
    private readonly MasterFixtures _fixtures = new("tessera-batch-");

    private SeedOptions Valid => new() { Root = _fixtures.Root, Output = _fixtures.Out("static") };

    [Fact]
    public void Defaults_are_valid_and_render_as_the_server_does()
    {
        Assert.Empty(Valid.Validate());
        Assert.Equal(RenderOptions.Default, Valid.Render);
    }

    [Fact]
    public void The_kernel_and_quality_reach_the_render_settings() =>
        Assert.Equal(new RenderOptions { JpegQuality = 70, Kernel = ResampleKernel.Linear }, (Valid with { JpegQuality = 70, Kernel = ResampleKernel.Linear }).Render);

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var options = Valid with
        {
            Root = Path.Combine(_fixtures.Folder, "missing"),
            Output = " ",
            Version = (ApiVersion)7,
            TileSize = 0,
            ScaleFactors = [1, 3],
            MaxSizeSide = 0,
            BaseUrl = "ftp://example.org",
            Shard = new Shard(4, 4),
            Jobs = 0,
            JpegQuality = 101,
            Kernel = (ResampleKernel)(-1),
        };
        Assert.Equal(
            [
                $"Expected an existing folder for Root but received \"{options.Root}\"",
                "Expected a folder for Output but received nothing",
                "Expected 2 or 3 for Version but received 7",
                "Expected 1..8192 for TileSize but received 0",
                "Expected powers of two for ScaleFactors but received 3",
                "Expected a positive integer for MaxSizeSide but received 0",
                "Expected an absolute http(s) URL for BaseUrl but received \"ftp://example.org\"",
                "Expected 0 <= i < n for Shard i/n but received 4/4",
                "Expected a positive integer for Jobs but received 0",
                "Expected 1..100 for JpegQuality but received 101",
                "Expected nearest, linear, cubic, mitchell, lanczos2 or lanczos3 for Kernel but received -1",
            ],
            options.Validate());
    }

    [Fact]
    public void The_seeder_refuses_invalid_options_before_any_work()
    {
        var e = Assert.Throws<InvalidOptionsException>(() => new TileSeeder(Valid with { TileSize = 9000, Jobs = -1 }));
        Assert.Equal(["Expected 1..8192 for TileSize but received 9000", "Expected a positive integer for Jobs but received -1"], e.Problems);
        Assert.False(Directory.Exists(_fixtures.Out("static")));
    }

    public void Dispose() => _fixtures.Dispose();
}
