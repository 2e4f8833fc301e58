using Tessera.Core.Iiif;
using Tessera.Core.Planning;
using Tessera.Imaging.Rendering;
using Tessera.Imaging.Sources;
using Tessera.Vips;

namespace Tessera.Imaging.Tests.Rendering;

/// <summary>
/// Which path answers a plan of a JPEG 2000 source, and why: the source's facts come from a real file (the direct
/// decoder's header facts are part of them), no pixels are decoded.
/// </summary>
public sealed class RenderPathChooserJpeg2000Tests : IClassFixture<RenderPathChooserJpeg2000Tests.Files>
{
    private readonly Files _files;

    public RenderPathChooserJpeg2000Tests(Files files) => _files = files;

    /// <summary>A 4000x3000 JP2 of 512 px tiles (one flat colour: cheap to make, the header is all that is read).</summary>
    public sealed class Files : IDisposable
    {
        private readonly string _root = Directory.CreateTempSubdirectory("tessera-jp2choose-").FullName;

        public Files()
        {
            Path = System.IO.Path.Combine(_root, "flat.jp2");
            using var black = VipsOperation.Image("black", ("width", 4000), ("height", 3000), ("bands", 3));
            using var flat = black.Call("linear", ("a", new double[] { 1 }), ("b", new double[] { 120 })).Cast(BandFormat.UChar);
            flat.SaveToFile("jp2ksave", Path, ("tile_width", 512), ("tile_height", 512), ("Q", 45));
            Source = SourceInspector.Inspect(new ResolvedSource("flat.jp2", Path, File.GetLastWriteTimeUtc(Path), new FileInfo(Path).Length));
        }

        public string Path { get; }

        public SourceDescription Source { get; }

        public void Dispose() => Directory.Delete(_root, recursive: true);
    }

    private static RenderDecision Choose(SourceDescription source, string region, string size, string rotation = "0", string qualityFormat = "default.jpg", RenderOptions? options = null)
    {
        var request = ImageRequestParser.Parse(ApiVersion.V3, "p", region, size, rotation, qualityFormat).Value;
        var plan = ImagePlanner.Plan(request, source.Info, ServerLimits.Default).Value;
        return new RenderPathChooser(options ?? RenderOptions.Default, libjpegTurbo: true).Choose(plan, source);
    }

    [Theory]
    [InlineData("512,512,512,512", "512,512", "0", "default.jpg", 512, 512, 512, 512)]           // a full-resolution tile
    [InlineData("2048,1024,1024,1024", "256,256", "0", "default.jpg", 512, 256, 256, 256)]       // scale factor 4: reduction 2
    [InlineData("3584,2560,416,440", "416,440", "90", "gray.png", 3584, 2560, 416, 440)]       // any output, rotation, quality
    [InlineData("full", "!300,300", "0", "default.webp", 0, 0, 500, 375)]                      // a thumbnail: the whole of reduction 3
    public void A_window_of_a_file_the_decoder_takes_is_decoded_directly(string region, string size, string rotation, string qualityFormat, int x, int y, int width, int height)
    {
        Assert.NotNull(_files.Source.Jpeg2000);
        var decision = Choose(_files.Source, region, size, rotation, qualityFormat);

        Assert.Equal((RenderPath.Jpeg2000, RenderReason.Jpeg2000Window), (decision.Path, decision.Reason));
        Assert.Equal(new PixelRect(x, y, width, height), decision.Window);
    }

    [Fact]
    public void With_the_direct_path_off_libvips_reads_it()
    {
        var decision = Choose(_files.Source, "512,512,512,512", "512,512", options: RenderOptions.Default with { Jpeg2000Direct = false });

        Assert.Equal((RenderPath.Libvips, RenderReason.Jpeg2000Off), (decision.Path, decision.Reason));
    }

    [Fact]
    public void A_file_the_decoder_refuses_goes_to_libvips()
    {
        var refused = _files.Source with { Jpeg2000 = null, Jpeg2000Refusal = "component 1 is subsampled 2x2" };

        var decision = Choose(refused, "512,512,512,512", "512,512");

        Assert.Equal((RenderPath.Libvips, RenderReason.Jpeg2000Refused), (decision.Path, decision.Reason));
    }

    [Fact]
    public void A_full_resolution_window_over_the_bound_goes_to_libvips_which_streams_it()
    {
        // 12 million pixels at full resolution, over the 8 million a direct decode holds; 6 million are decoded directly.
        Assert.Equal((RenderPath.Libvips, RenderReason.LargeRegion), (Choose(_files.Source, "full", "max").Path, Choose(_files.Source, "full", "max").Reason));
        Assert.Equal(RenderPath.Jpeg2000, Choose(_files.Source, "0,0,3000,2000", "max").Path);
    }

    [Fact]
    public void Levels_that_do_not_match_the_decoder_go_to_libvips()
    {
        // Facts whose levels are not the file's reductions (a header that changed under the same version).
        var info = _files.Source.Info with { Levels = [new PyramidLevel(0, 4000, 3000), new PyramidLevel(1, 1999, 1500)] };
        var source = _files.Source with { Info = info };

        var decision = Choose(source, "0,0,2000,1500", "1000,");

        Assert.Equal((RenderPath.Libvips, RenderReason.OutsideLevel), (decision.Path, decision.Reason));
    }
}
