using Tessera.Core.Planning;
using Tessera.Imaging.Batch;
using Tessera.Imaging.Pipeline;
using Tessera.Vips;

namespace Tessera.Imaging.Tests.Pipeline;

/// <summary>
/// Redaction boxes (<see cref="ImagePipeline.Redactions"/>) on the sources the server tests do not reach: a JPEG 2000
/// (OpenJPEG windows and held reductions) and a JPEG turned by its EXIF orientation (boxes are in upright coordinates),
/// against the same pipeline without boxes.
/// </summary>
public sealed class RedactionPipelineTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("tessera-redaction-").FullName;
    private readonly ImagePipeline _plain;
    private readonly ImagePipeline _redacted;

    public RedactionPipelineTests()
    {
        BatchPipeline.ConfigureVips(1);

        // Upright 2048 × 1536, bright everywhere: R = 120 + x/20, G = 120 + y/20, B = 150 + x/50.
        using var xy = VipsOperation.Image("xyz", ("width", 2048), ("height", 1536));
        using var x = xy.ExtractBand(0);
        using var y = xy.ExtractBand(1);
        using var joined = VipsOperation.Image("bandjoin", ("in", new[] { x, y, x }));
        using var scaled = joined.Call("linear", ("a", new[] { 0.05, 0.05, 0.02 }), ("b", new[] { 120.0, 120.0, 150.0 }));
        using var upright = scaled.Cast(BandFormat.UChar);
        upright.SaveToFile("jp2ksave", Path.Combine(_root, "p.jp2"), ("tile_width", 256), ("tile_height", 256), ("lossless", true));

        // Stored turned a quarter anticlockwise, tagged 6 ("turn 90° clockwise to show"): upright it is the same picture.
        using var stored = upright.Rot("d270");
        using var tagged = stored.WithInt("orientation", 6);
        tagged.SaveToFile("jpegsave", Path.Combine(_root, "o.jpg"), ("Q", 95));

        _plain = BatchPipeline.Create(_root, jobs: 1);
        _redacted = BatchPipeline.Create(_root, jobs: 1);
        IReadOnlyList<RedactionBox> boxes = [new RedactionBox(false, 602, 401, 397, 298)];
        _redacted.Redactions = _ => boxes;
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("p.jp2")]
    [InlineData("o.jpg")]
    public async Task At_full_size_the_box_covers_exactly_its_upright_pixels(string id)
    {
        // Region x 512..1280, y 256..896: the box (pixels x 602..998, y 401..698) is pixels 90..486, 145..442 of the output.
        var (plain, redacted) = await BothAsync(id, "512,256,768,640", "max");
        using (plain)
        using (redacted)
        {
            foreach (var (px, py) in new[] { (90, 145), (486, 442), (90, 442), (486, 145), (300, 300) })
            {
                Assert.True(redacted.GetPoint(px, py).Take(3).All(v => v == 0), $"{id}: ({px}, {py}) is {string.Join(", ", redacted.GetPoint(px, py))}, expected black");
                Assert.True(plain.GetPoint(px, py).Take(3).Max() > 100);
            }

            foreach (var (px, py) in new[] { (89, 300), (487, 300), (300, 144), (300, 443), (700, 600) })
            {
                Assert.Equal(plain.GetPoint(px, py), redacted.GetPoint(px, py));
            }
        }
    }

    [Theory]
    [InlineData("p.jp2")]
    [InlineData("o.jpg")]
    public async Task At_a_quarter_size_the_box_covers_every_pixel_it_touches_and_nothing_far_from_it(string id)
    {
        // At 1/4 the box is x 150.5..249.75, y 100.25..174.75.
        var (plain, redacted) = await BothAsync(id, "full", "512,");
        using (plain)
        using (redacted)
        {
            foreach (var (px, py) in new[] { (150, 100), (249, 174), (200, 137) })
            {
                Assert.True(redacted.GetPoint(px, py).Take(3).All(v => v <= 2), $"{id}: ({px}, {py}) is {string.Join(", ", redacted.GetPoint(px, py))}, expected black");
            }

            foreach (var (px, py) in new[] { (100, 50), (300, 300), (200, 190), (130, 137) })
            {
                Assert.True(plain.GetPoint(px, py).Zip(redacted.GetPoint(px, py)).All(p => Math.Abs(p.First - p.Second) <= 1), $"{id}: ({px}, {py}) changed");
            }
        }
    }

    [Fact]
    public async Task The_boxes_are_in_the_plan_and_its_derivative_key()
    {
        var plain = await PipelineRequests.Image(_plain, "p.jp2", "full", "256,", format: "png");
        var redacted = await PipelineRequests.Image(_redacted, "p.jp2", "full", "256,", format: "png");
        Assert.Empty(plain.Plan.Redactions);
        Assert.Equal([new PixelRect(602, 401, 397, 298)], redacted.Plan.Redactions);
        Assert.NotEqual(_plain.KeyOf(plain.Plan, plain.Source), _redacted.KeyOf(redacted.Plan, redacted.Source));
    }

    private async Task<(VipsImage Plain, VipsImage Redacted)> BothAsync(string id, string region, string size)
    {
        var plain = await PipelineRequests.Image(_plain, id, region, size, format: "png");
        var redacted = await PipelineRequests.Image(_redacted, id, region, size, format: "png");
        return (VipsImage.NewFromBuffer(plain.Image.Data), VipsImage.NewFromBuffer(redacted.Image.Data));
    }
}
