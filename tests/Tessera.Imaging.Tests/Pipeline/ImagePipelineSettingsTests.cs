using Tessera.Testing;
using Tessera.Core.Iiif;
using Tessera.Core.Planning;
using Tessera.Imaging.Pipeline;
using Tessera.Imaging.Rendering;
using Tessera.Imaging.Sources;
using Tessera.Imaging.Tests.Batch;

namespace Tessera.Imaging.Tests.Pipeline;

public sealed class ImagePipelineSettingsTests : IDisposable
{
    private readonly MasterFixtures _fixtures = new("tessera-batch-");

    [Fact]
    public void A_root_folder_with_the_defaults_is_valid() =>
        Assert.Empty(new ImagePipelineSettings { Root = _fixtures.Root }.Validate());

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var settings = new ImagePipelineSettings
        {
            Root = Path.Combine(_fixtures.Folder, "missing"),
            Render = new RenderOptions { JpegQuality = 0 },
            Limits = new ServerLimits(0, 10, -1),
            MaxConcurrentRenders = -2,
        };
        Assert.Equal(
            [
                $"Expected an existing folder for Root but received \"{settings.Root}\"",
                "Expected 1..100 for JpegQuality but received 0",
                "Expected a positive integer for MaxWidth but received 0",
                "Expected a positive integer for MaxArea but received -1",
                "Expected 0 (one per processor) or more for MaxConcurrentRenders but received -2",
            ],
            settings.Validate());
    }

    [Fact]
    public void Neither_a_root_nor_sources_is_a_problem() =>
        Assert.Equal(["Expected a folder for Root (or a resolver for Sources) but received nothing"], new ImagePipelineSettings().Validate());

    [Fact]
    public void The_factory_refuses_invalid_settings_listing_every_problem()
    {
        var e = Assert.Throws<InvalidOptionsException>(() => PipelineFactory.Create(new ImagePipelineSettings { Render = new RenderOptions { Jp2Quality = 101 } }));
        Assert.Equal(2, e.Problems.Count);
        Assert.Contains("Expected 1..100 for Jp2Quality but received 101", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_factory_builds_the_pipeline_the_settings_describe()
    {
        _fixtures.Photo("photo.jpg", 300);
        var limits = new ServerLimits(500, 400, 100_000);
        var pipeline = PipelineFactory.Create(new ImagePipelineSettings
        {
            Root = _fixtures.Root,
            Render = new RenderOptions { JpegQuality = 75, Kernel = ResampleKernel.Mitchell },
            Limits = limits,
        });

        Assert.Equal(limits, pipeline.Limits);
        Assert.Equal(new RenderOptions { JpegQuality = 75, Kernel = ResampleKernel.Mitchell }, pipeline.Renderer.Options);
        Assert.Equal(["photo.jpg"], pipeline.Catalog.Resolver.List());
        Assert.True(pipeline.Catalog.Describe("photo.jpg").TryGetValue(out var source, out _));
        Assert.Equal(300, source.Info.Width);
    }

    [Fact]
    public void Given_sources_are_used_instead_of_a_root_folder()
    {
        _fixtures.Photo("photo.jpg", 300);
        var sources = new RenamingSources(new FileSystemSourceResolver(_fixtures.Root));
        var pipeline = PipelineFactory.Create(new ImagePipelineSettings { Sources = sources });

        Assert.Same(sources, pipeline.Catalog.Resolver);
        Assert.Same(sources, PipelineFactory.CreateSources(new ImagePipelineSettings { Root = "ignored", Sources = sources }));
        Assert.True(pipeline.Catalog.Describe("photo-alias").TryGetValue(out var source, out _));
        Assert.Equal(300, source.Info.Width);
    }

    public void Dispose() => _fixtures.Dispose();

    /// <summary>A source kind other than a plain folder: every identifier is "{file name without extension}-alias".</summary>
    private sealed class RenamingSources(ISourceResolver files) : ISourceResolver
    {
        public string? IdentifierProblem(string identifier) =>
            identifier.EndsWith("-alias", StringComparison.Ordinal) ? null : $"Expected an identifier ending in -alias but received \"{identifier}\"";

        public Outcome<ResolvedSource> Resolve(string identifier) =>
            IdentifierProblem(identifier) is { } problem ? IiifError.BadRequest("identifier", problem) : files.Resolve(identifier[..^6] + ".jpg");

        public SourceListing List(CancellationToken cancellationToken = default) => new([.. files.List(cancellationToken).Select(id => Path.GetFileNameWithoutExtension(id) + "-alias")]);

        public string? RootProblem() => files.RootProblem();
    }
}
