using System.Text.Json.Nodes;
using Tessera.Imaging.Batch;
using Tessera.Imaging.Processing;
using Tessera.Imaging.Tests.Batch;
using Tessera.Testing;
using Tessera.Vips;

namespace Tessera.Imaging.Tests.Processing;

public sealed class DerivativeProcessorTests : IDisposable
{
    /// <summary>SFO Museum's instruction set: the original, Flickr-style sizes, smart-cropped squares and halftones.</summary>
    private const string Sfo = """
        {
          "o":  {"size": "full", "format": "", "rotation": "-1"},
          "k":  {"size": "!2048,2048", "format": "jpg"},
          "b":  {"size": "!1024,1024", "format": "jpg"},
          "c":  {"size": "!800,800", "format": "jpg"},
          "dc": {"size": "!800,800", "quality": "dither", "format": "jpg"},
          "z":  {"size": "!640,640", "format": "jpg"},
          "n":  {"size": "!320,320", "format": "jpg"},
          "s":  {"size": "full", "region": "-1,-1,150,150", "format": "jpg"},
          "ds": {"size": "full", "region": "-1,-1,150,150", "quality": "dither", "format": "png"}
        }
        """;

    private readonly MasterFixtures _fixtures = new("tessera-batch-");

    [Fact]
    public async Task The_report_has_iiif_process_shape_and_the_sizes_of_an_sfo_style_set()
    {
        _fixtures.Photo("photo.jpg", 1200);
        using (var source = VipsImage.NewFromFile(Path.Combine(_fixtures.Root, "photo.jpg")))
        using (var turned = source.WithInt("orientation", 6))
        {
            turned.SaveToFile("pngsave", Path.Combine(_fixtures.Root, "turned.png"));
        }

        var output = _fixtures.Out("derivatives");
        var processor = new DerivativeProcessor(new ProcessOptions { Root = _fixtures.Root, Output = output, Instructions = InstructionSet.Parse(Sfo), Jobs = 2 });

        var (summary, report) = await processor.RunAsync(["photo.jpg", "turned.png"]);

        Assert.True(summary.Succeeded, string.Join("\n", summary.Failures));
        Assert.Equal(2 * 10, summary.Done);
        using var probe = VipsImage.NewFromFile(Path.Combine(_fixtures.Root, "photo.jpg"));
        var (w, h) = (probe.Width, probe.Height); // 1200 × ~800
        var photo = report["photo.jpg"]!;
        int[] Dim(JsonNode image, string label) => image["dimensions"]![label]!.AsArray().Select(n => (int)n!).ToArray();

        Assert.Equal([w, h], Dim(photo, "o"));
        Assert.Equal([2048, (int)Math.Round(2048.0 * h / w)], Dim(photo, "k")); // 2.1's !w,h fits, up or down
        Assert.Equal([1024, (int)Math.Round(1024.0 * h / w)], Dim(photo, "b"));
        Assert.Equal([800, (int)Math.Round(800.0 * h / w)], Dim(photo, "c"));
        Assert.Equal(Dim(photo, "c"), Dim(photo, "dc"));
        Assert.Equal([320, (int)Math.Round(320.0 * h / w)], Dim(photo, "n"));
        Assert.Equal([150, 150], Dim(photo, "s"));
        Assert.Equal([150, 150], Dim(photo, "ds"));

        Assert.Equal("photo.jpg/full/full/-1/default.jpg", (string?)photo["uris"]!["o"]);
        Assert.Equal("photo.jpg/-1,-1,150,150/full/0/dither.png", (string?)photo["uris"]!["ds"]);
        var palette = photo["palette"]!.AsArray();
        Assert.Equal(5, palette.Count);
        Assert.All(palette, c =>
        {
            Assert.Matches("^#[0-9a-f]{6}$", (string)c!["hex"]!);
            Assert.False(string.IsNullOrEmpty((string?)c["name"]));
            Assert.Equal("css4", (string?)c["reference"]);
        });

        // Every uri exists; the halftone is pure black and white; the original keeps its format.
        foreach (var (_, uri) in photo["uris"]!.AsObject())
        {
            Assert.True(File.Exists(Path.Combine(output, (string)uri!)));
        }

        using var halftone = VipsImage.NewFromFile(Path.Combine(output, (string)photo["uris"]!["ds"]!));
        var levels = halftone.ToPixels().Distinct().Order().ToArray();
        Assert.Equal([(byte)0, (byte)255], levels);

        // Rotation -1: the stored pixels, not turned by EXIF orientation (6 swaps the axes when applied).
        var turnedReport = report["turned.png"]!;
        Assert.Equal([w, h], Dim(turnedReport, "o"));
        Assert.Equal([(int)Math.Round(800.0 * h / w), 800], Dim(turnedReport, "c"));
        Assert.EndsWith("default.png", (string?)turnedReport["uris"]!["o"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rerun_skips_existing_derivatives_and_still_reports_them()
    {
        _fixtures.Photo("photo.jpg", 500);
        var options = new ProcessOptions { Root = _fixtures.Root, Output = _fixtures.Out("d"), Instructions = InstructionSet.Parse(Sfo), Jobs = 2 };
        var (_, first) = await new DerivativeProcessor(options).RunAsync(["photo.jpg"]);

        var (summary, second) = await new DerivativeProcessor(options).RunAsync(["photo.jpg"]);

        Assert.Equal(9, summary.Skipped);
        Assert.Equal(first["photo.jpg"]!["dimensions"]!.ToJsonString(), second["photo.jpg"]!["dimensions"]!.ToJsonString());
    }

    [Fact]
    public async Task A_uri_template_places_derivatives_by_label()
    {
        _fixtures.Photo("photo.jpg", 400);
        var options = new ProcessOptions
        {
            Root = _fixtures.Root,
            Output = _fixtures.Out("t"),
            Instructions = InstructionSet.Parse("""{"n": {"size": "!100,100"}, "o": {"format": ""}}"""),
            UriTemplate = "{id}/{label}.{format}",
            Jobs = 1,
        };

        var (_, report) = await new DerivativeProcessor(options).RunAsync(["photo.jpg"]);

        Assert.Equal("photo.jpg/n.jpg", (string?)report["photo.jpg"]!["uris"]!["n"]);
        Assert.True(File.Exists(Path.Combine(_fixtures.Out("t"), "photo.jpg", "n.jpg")));
    }

    [Fact]
    public async Task Smart_crop_picks_the_interesting_part()
    {
        // A plain grey field with one bright, detailed patch in the lower right: the crop must contain it.
        using (var field = VipsOperation.Image("black", ("width", 800), ("height", 400), ("bands", 3)))
        using (var grey = field.Call("linear", ("a", new double[] { 1, 1, 1 }), ("b", new double[] { 90, 90, 90 })))
        using (var patchSource = VipsOperation.Image("thumbnail", ("filename", Samples.PathOf(Samples.Sunset)), ("width", 120), ("height", 120), ("crop", "centre")))
        using (var grey8 = grey.Cast(BandFormat.UChar))
        using (var composed = VipsOperation.Image("insert", ("main", grey8), ("sub", patchSource), ("x", 640), ("y", 240)))
        {
            composed.SaveToFile("pngsave", Path.Combine(_fixtures.Root, "patch.png"));
        }

        var pipeline = BatchPipeline.Create(_fixtures.Root, 1);
        var source = pipeline.Catalog.Describe("patch.png").Value;

        var region = (await new DerivativeRenderer(pipeline).SmartCropRegionAsync(source, 100, 100)).Value;

        Assert.Equal(400, region.Width);
        Assert.True(region.X >= 360 && region.Right >= 700, $"crop {region} should cover the patch at 640..760");
    }

    public void Dispose() => _fixtures.Dispose();
}
