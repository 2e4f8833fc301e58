using Tessera.Core.Iiif;
using Tessera.Core.Planning;
using Tessera.Imaging.Rendering;
using Tessera.Imaging.Sources;
using Tessera.Vips;

namespace Tessera.Imaging.Tests.Rendering;

/// <summary>
/// The renderer's row-wise reduction (reducev, turn, reducev, turn back) must give what libvips' resize gives with the
/// same kernel, pixel for pixel within rounding, whatever the two axes' factors.
/// </summary>
public sealed class ReductionTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("tessera-reduce-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData(700, 500)]
    [InlineData(380, 500)]
    [InlineData(700, 260)]
    [InlineData(699, 499)]
    [InlineData(351, 251)]
    public void Reducing_by_rows_matches_resize(int width, int height)
    {
        var samples = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "samples", "Dragonfly_by_Bolly.jpg");
        using (var photo = VipsOperation.Image("thumbnail", ("filename", Path.GetFullPath(samples)), ("width", 701)))
        {
            photo.SaveToFile("pngsave", Path.Combine(_root, "photo.png"));
        }

        var source = new SourceCatalog(new FileSystemSourceResolver(_root)).Describe("photo.png").Value;
        var request = ImageRequestParser.Parse(ApiVersion.V3, "photo.png", "full", $"{width},{height}", "0", "default.png").Value;
        var plan = ImagePlanner.Plan(request, source.Info, ServerLimits.Default).Value;
        var rendered = new ImageRenderer(RenderOptions.Default).Render(plan, source);

        using var actual = VipsImage.NewFromBuffer(rendered.Data);
        using var original = VipsImage.NewFromFile(Path.Combine(_root, "photo.png"));
        using var expected = original.Resize((double)width / original.Width, (double)height / original.Height);
        using var difference = VipsOperation.Image("subtract", ("left", actual), ("right", expected));
        using var absolute = difference.Call("abs");

        Assert.Equal((width, height), (actual.Width, actual.Height));
        Assert.True(absolute.Average() < 1.0, $"mean difference {absolute.Average()}");
    }
}
