using Tessera.Imaging.Processing;

namespace Tessera.Imaging.Tests.Processing;

public sealed class DithererTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(64)]
    [InlineData(128)]
    [InlineData(200)]
    [InlineData(255)]
    public void A_flat_grey_becomes_black_and_white_dots_in_the_same_proportion(byte level)
    {
        var grey = Enumerable.Repeat(level, 64 * 64).ToArray();

        var halftone = Ditherer.FloydSteinberg(grey, 64, 64);

        Assert.All(halftone, p => Assert.True(p is 0 or 255));
        Assert.InRange(halftone.Average(p => (double)p), level - 4, level + 4);
    }

    [Fact]
    public void A_ramp_keeps_its_gradient()
    {
        var grey = new byte[256 * 32];
        for (var i = 0; i < grey.Length; i++)
        {
            grey[i] = (byte)(i % 256);
        }

        var halftone = Ditherer.FloydSteinberg(grey, 256, 32);

        double Mean(int from, int to) => Enumerable.Range(0, 32).SelectMany(y => Enumerable.Range(from, to - from).Select(x => (double)halftone[(y * 256) + x])).Average();
        Assert.True(Mean(0, 32) < 40);
        Assert.True(Mean(224, 256) > 215);
    }

    [Fact]
    public void Refuses_a_buffer_of_the_wrong_size()
    {
        Assert.Throws<ArgumentException>(() => Ditherer.FloydSteinberg(new byte[10], 4, 4));
    }
}
