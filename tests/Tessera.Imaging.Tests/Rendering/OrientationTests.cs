using Tessera.Core.Planning;
using Tessera.Imaging.Rendering;
using Tessera.Vips;

namespace Tessera.Imaging.Tests.Rendering;

public sealed class OrientationTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Cropping_stored_pixels_then_turning_upright_equals_cropping_the_upright_image(int orientation)
    {
        // Every pixel distinct: x in band 0, y in band 1.
        using var xy = VipsOperation.Image("xyz", ("width", 30), ("height", 20));
        using var stored = xy.Cast(BandFormat.UChar).WithInt("orientation", orientation);
        using var upright = stored.Call("autorot");
        var info = new SourceInfo(upright.Width, upright.Height, [new PyramidLevel(0, 30, 20)], orientation);
        var random = new Random(orientation);

        for (var i = 0; i < 20; i++)
        {
            var w = random.Next(1, upright.Width);
            var h = random.Next(1, upright.Height);
            var displayed = new PixelRect(random.Next(0, upright.Width - w + 1), random.Next(0, upright.Height - h + 1), w, h);
            var s = Orientation.ToStored(displayed, info);

            using var expected = upright.ExtractArea(displayed.X, displayed.Y, w, h);
            using var cut = stored.ExtractArea(s.X, s.Y, s.Width, s.Height);
            using var actual = cut.Call("autorot");

            Assert.Equal(expected.ToPixels(), actual.ToPixels());
        }
    }
}
