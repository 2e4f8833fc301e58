using Tessera.Vips;

namespace Tessera.Vips.Tests;

/// <summary>
/// Sequential sources (JPEG, PNG, TIFF strips) read from far down: libvips' sequential cache keeps every row decoded on
/// the way unless the read walks down to them (<see cref="VipsImage.SkipRows"/>). libvips' memory counter is global,
/// so this runs alone.
/// </summary>
[Collection(nameof(LeakTests))]
public sealed class SequentialReadTests
{
    [Fact]
    public void A_region_read_after_skipping_to_it_leaves_libvips_holding_a_few_strips_not_the_rows_above()
    {
        var path = TallJpeg(2000, 12000);
        try
        {
            // 11000 rows of 2000 RGB pixels above the region: 66 MB.
            var held = new Dictionary<bool, long>();
            byte[]? reference = null;
            foreach (var skip in new[] { false, true })
            {
                var before = VipsRuntime.TrackedMemory;
                using var image = VipsImage.NewFromFile(path, ("access", "sequential"));
                if (skip)
                {
                    image.SkipRows(11000);
                }

                using var region = image.ExtractArea(700, 11000, 300, 200);
                var pixels = new byte[300 * 200 * 3];
                region.WriteRowsTo(pixels, 0, 200, 300 * 3);

                // Measured with the image still open: what the cache holds now is what it held for the read.
                held[skip] = VipsRuntime.TrackedMemory - before;
                if (reference is null)
                {
                    reference = pixels;
                }
                else
                {
                    Assert.Equal(reference, pixels);
                }
            }

            Assert.True(held[true] < 16L << 20, $"after skipping, libvips held {held[true] >> 20} MB for a 300x200 region (without: {held[false] >> 20} MB)");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Skipping_takes_any_band_format_and_refuses_rows_past_the_end()
    {
        using var ramp = VipsOperation.Image("xyz", ("width", 50), ("height", 40));
        using var wide = ramp.Cast(BandFormat.UShort);
        wide.SkipRows(40);
        wide.SkipRows(0);
        Assert.Throws<ArgumentOutOfRangeException>(() => wide.SkipRows(41));
        Assert.Throws<ArgumentOutOfRangeException>(() => wide.SkipRows(-1));
    }

    /// <summary>A JPEG of a smooth pattern (cheap to write and to read) in a temporary file.</summary>
    private static string TallJpeg(int width, int height)
    {
        var path = Path.Combine(Path.GetTempPath(), $"tessera-tall-{Guid.NewGuid():N}.jpg");
        using var xyz = VipsOperation.Image("xyz", ("width", width), ("height", height));
        using var bytes = xyz.Cast(BandFormat.UChar);
        using var rgb = bytes.Call("bandjoin_const", ("c", new[] { 128.0 }));
        rgb.SaveToFile("jpegsave", path, ("Q", 75));
        return path;
    }
}
