using Tessera.Imaging.Caching;
using Tessera.Vips;

namespace Tessera.Imaging.Tests.Caching;

public sealed class OpenImageCacheTests
{
    [Fact]
    public void An_image_is_opened_once_and_leased_many_times()
    {
        var cache = new OpenImageCache(4 * OpenImageCache.FileBackedBytes);
        var opens = 0;
        VipsImage Open()
        {
            opens++;
            return VipsOperation.Image("black", ("width", 8), ("height", 8));
        }

        using (var a = cache.Lease("k", Open))
        using (var b = cache.Lease("k", Open))
        {
            Assert.Equal(8, a.Width + b.Width - 8);
        }

        Assert.Equal(1, opens);
    }

    [Fact]
    public void A_lease_outlives_the_eviction_of_its_image()
    {
        var cache = new OpenImageCache(OpenImageCache.FileBackedBytes);
        using var leased = cache.Lease("first", () => VipsOperation.Image("black", ("width", 5), ("height", 5)));
        using var other = cache.Lease("second", () => VipsOperation.Image("black", ("width", 6), ("height", 6)));

        Assert.Equal(1, cache.Count);
        Assert.Equal(5, leased.Width);
        Assert.Equal(0, leased.Average());
    }

    [Fact]
    public void Decoded_levels_count_their_pixels_against_the_bound()
    {
        var cache = new OpenImageCache(1000);
        using (cache.Lease("small", () => VipsOperation.Image("black", ("width", 10), ("height", 10)), 400))
        using (cache.Lease("second", () => VipsOperation.Image("black", ("width", 10), ("height", 10)), 400))
        using (cache.Lease("third", () => VipsOperation.Image("black", ("width", 10), ("height", 10)), 400))
        {
        }

        Assert.Equal(800, cache.Bytes);
        Assert.Equal(2, cache.Count);
    }
}
