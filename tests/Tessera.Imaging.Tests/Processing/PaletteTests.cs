using Tessera.Imaging.Processing;

namespace Tessera.Imaging.Tests.Processing;

public sealed class PaletteTests
{
    [Theory]
    [InlineData(255, 0, 0, "red")]
    [InlineData(0, 0, 128, "navy")]
    [InlineData(250, 128, 114, "salmon")]
    [InlineData(255, 250, 250, "snow")]
    [InlineData(252, 252, 252, "white")]
    [InlineData(3, 4, 2, "black")]
    [InlineData(130, 128, 126, "gray")]
    public void Names_a_colour_by_its_nearest_css_colour(byte r, byte g, byte b, string name)
    {
        Assert.Equal(name, NamedColours.Nearest(r, g, b).Name);
    }

    [Fact]
    public void The_reference_list_is_css4()
    {
        Assert.Equal(148 - 9, NamedColours.Count); // CSS4's 148 names less 7 "grey" spellings, cyan and magenta
        Assert.Equal("css4", NamedColours.Reference);
    }

    [Fact]
    public void Finds_the_dominant_colours_largest_share_first()
    {
        // 60% red, 30% navy, 10% white.
        var pixels = new List<byte>();
        void Add(int count, byte r, byte g, byte b)
        {
            for (var i = 0; i < count; i++)
            {
                pixels.AddRange([r, g, b]);
            }
        }

        Add(600, 250, 5, 5);
        Add(300, 0, 0, 120);
        Add(100, 255, 255, 255);

        var palette = PaletteExtractor.Extract(pixels.ToArray(), 5);

        Assert.Equal(["red", "navy", "white"], palette.Take(3).Select(p => p.Name));
        Assert.Equal("#fa0505", palette[0].Hex);
        Assert.Equal(0.6, palette[0].Share, 3);
        Assert.All(palette, p => Assert.Equal("css4", p.Reference));
    }

    [Fact]
    public void The_same_pixels_always_give_the_same_palette()
    {
        var random = new Random(7);
        var pixels = new byte[3 * 5000];
        random.NextBytes(pixels);

        Assert.Equal(PaletteExtractor.Extract(pixels), PaletteExtractor.Extract(pixels));
        Assert.Equal(5, PaletteExtractor.Extract(pixels).Count);
    }
}
