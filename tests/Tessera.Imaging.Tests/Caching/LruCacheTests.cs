using Tessera.Imaging.Caching;

namespace Tessera.Imaging.Tests.Caching;

public sealed class LruCacheTests
{
    [Fact]
    public void The_least_recently_used_entry_is_evicted_first_and_reported()
    {
        var evicted = new List<string>();
        var cache = new LruCache<string, int>(3, evicted: (k, _) => evicted.Add(k));
        cache.Set("a", 1);
        cache.Set("b", 2);
        cache.Set("c", 3);
        cache.TryGet("a", out _);
        cache.Set("d", 4);

        Assert.Equal(["b"], evicted);
        Assert.True(cache.TryGet("a", out var a) && a == 1);
        Assert.False(cache.TryGet("b", out _));
    }

    [Fact]
    public void Weight_bounds_the_total_and_an_oversized_entry_is_not_kept()
    {
        var cache = new LruCache<string, byte[]>(100, v => v.Length);
        cache.Set("a", new byte[60]);
        cache.Set("b", new byte[50]);
        cache.Set("huge", new byte[101]);

        Assert.Equal(50, cache.Weight);
        Assert.False(cache.TryGet("a", out _));
        Assert.False(cache.TryGet("huge", out _));
    }

    [Fact]
    public void Setting_a_key_again_replaces_it_without_reporting_an_eviction()
    {
        var evictions = 0;
        var cache = new LruCache<string, int>(10, evicted: (_, _) => evictions++);
        cache.Set("a", 1);
        cache.Set("a", 2);

        Assert.Equal(0, evictions);
        Assert.Equal(1, cache.Count);
        Assert.True(cache.TryGet("a", out var a) && a == 2);
    }
}
