using Tessera.Imaging.Caching;
using Tessera.Imaging.Rendering;

namespace Tessera.Imaging.Tests.Caching;

/// <summary>The counters the server's metrics and admin page read: hits, misses and evictions per tier, and the tier an image came from.</summary>
public sealed class CacheCounterTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("tessera-cache-counters-").FullName;

    private static RenderedImage Image(int size) => new(new byte[size], "image/jpeg", 10, 20);

    private static string Key(string id, int n) => $"{id}\nv1\nfull/{n},{n}/0/default.jpg";

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void The_lru_counts_evictions_for_room_but_not_removals_or_purges()
    {
        var cache = new LruCache<string, int>(3);
        foreach (var key in new[] { "a", "b", "c", "d", "e" })
        {
            cache.Set(key, 1);
        }

        cache.Remove("e");
        cache.RemoveWhere(k => k == "d");
        cache.Resize(0);

        Assert.Equal(2 + 1, cache.Evictions); // a and b for room, then c when the bound went to 0
    }

    [Fact]
    public void The_memory_cache_counts_hits_misses_and_evictions_and_marks_its_images()
    {
        var cache = new MemoryDerivativeCache(3 * (1000 + 256));
        for (var i = 0; i < 4; i++)
        {
            cache.Set(Key("a.jpg", i), Image(1000));
        }

        Assert.True(cache.TryGet(Key("a.jpg", 3), out var image));
        Assert.False(cache.TryGet(Key("a.jpg", 0), out _));
        Assert.False(cache.TryGet(Key("b.jpg", 0), out _));
        cache.Purge("a.jpg");

        Assert.Equal((1L, 2L, 1L), (cache.Hits, cache.Misses, cache.Evictions));
        Assert.Equal(CacheTier.Memory, image.Tier);
    }

    [Fact]
    public async Task The_disk_cache_counts_hits_misses_and_evictions_and_marks_its_images()
    {
        // Entries of about 1100 bytes with their header, at most an eighth of the 10,000: the tenth makes room.
        using var cache = new DiskDerivativeCache(_root, 10_000);
        for (var i = 0; i < 10; i++)
        {
            cache.Set(Key("a.jpg", i), Image(1000));
            await cache.FlushAsync(TestContext.Current.CancellationToken);
        }

        Assert.True(cache.TryGet(Key("a.jpg", 9), out var image));
        Assert.False(cache.TryGet(Key("a.jpg", 0), out _));

        Assert.Equal((1L, 1L), (cache.Hits, cache.Misses));
        Assert.True(cache.Evictions >= 1, $"Expected an eviction for room but counted {cache.Evictions}");
        Assert.Equal(CacheTier.Disk, image.Tier);
        Assert.Equal(10_000, cache.ConfiguredCapacityBytes);
    }

    [Fact]
    public async Task A_tiered_cache_counts_each_tier_and_a_promoted_disk_hit_is_memory_next_time()
    {
        var memory = new MemoryDerivativeCache(1 << 20);
        using var disk = new DiskDerivativeCache(_root, 1 << 20);
        var tiered = new TieredDerivativeCache(memory, disk);
        disk.Set(Key("a.jpg", 1), Image(500));
        await disk.FlushAsync(TestContext.Current.CancellationToken);

        Assert.True(tiered.TryGet(Key("a.jpg", 1), out var first));
        Assert.True(tiered.TryGet(Key("a.jpg", 1), out var second));
        Assert.False(tiered.TryGet(Key("a.jpg", 2), out _));

        Assert.Equal((CacheTier.Disk, CacheTier.Memory), (first.Tier, second.Tier));
        Assert.Equal((1L, 2L), (memory.Hits, memory.Misses));
        Assert.Equal((1L, 1L), (disk.Hits, disk.Misses));
    }
}
