using Tessera.Testing;
using Tessera.Imaging.Batch;
using Tessera.Imaging.Processing;
using Tessera.Imaging.Rendering;

namespace Tessera.Imaging.Tests.Batch;

public sealed class ProcessOptionsTests : IDisposable
{
    private readonly MasterFixtures _fixtures = new("tessera-batch-");

    private ProcessOptions Valid => new()
    {
        Root = _fixtures.Root,
        Output = _fixtures.Out("derivatives"),
        Instructions = InstructionSet.Parse("""{"n": {"size": "!320,320"}}"""),
    };

    [Fact]
    public void Defaults_are_valid_and_render_as_the_server_does()
    {
        Assert.Empty(Valid.Validate());
        Assert.Equal(RenderOptions.Default, Valid.Render);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var options = Valid with
        {
            Root = "",
            Output = "",
            Instructions = null!,
            UriTemplate = "",
            Jobs = 0,
            Shard = new Shard(-1, 2),
            PaletteSize = 0,
            JpegQuality = 0,
            Kernel = (ResampleKernel)9,
        };
        Assert.Equal(
            [
                "Expected a folder for Root but received nothing",
                "Expected a folder for Output but received nothing",
                "Expected instructions (label to instruction) for Instructions but received nothing",
                "Expected a path template for UriTemplate (e.g. \"{id}/{label}.{format}\") but received nothing",
                "Expected a positive integer for Jobs but received 0",
                "Expected 0 <= i < n for Shard i/n but received -1/2",
                "Expected a positive integer for PaletteSize but received 0",
                "Expected 1..100 for JpegQuality but received 0",
                "Expected nearest, linear, cubic, mitchell, lanczos2 or lanczos3 for Kernel but received 9",
            ],
            options.Validate());
    }

    [Fact]
    public void The_processor_refuses_invalid_options()
    {
        var e = Assert.Throws<InvalidOptionsException>(() => new DerivativeProcessor(Valid with { PaletteSize = -3 }));
        Assert.Equal(["Expected a positive integer for PaletteSize but received -3"], e.Problems);
    }

    public void Dispose() => _fixtures.Dispose();
}
