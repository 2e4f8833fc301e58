using Tessera.Imaging.Colour;
using Tessera.Vips;

namespace Tessera.Imaging.Tests.Colour;

/// <summary>One LittleCMS transform per (profile, pixel kind), shared by every request, bounded, failures remembered.</summary>
public sealed class ColourTransformCacheTests
{
    private const string AdobeRgb = "/usr/share/color/icc/colord/AdobeRGB1998.icc";

    [Fact]
    public void Concurrent_first_requests_for_a_profile_share_one_build()
    {
        var profile = Profile(AdobeRgb);
        var cache = new ColourTransformCache();
        const int Threads = 16;
        var got = new ColourTransform?[Threads];
        using var start = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            got[i] = cache.Get("adobe", profile, ColourTransformKind.Rgb);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Equal(1, cache.Builds);
        Assert.Equal(Threads - 1, cache.Hits);
        Assert.NotNull(got[0]);
        Assert.All(got, t => Assert.Same(got[0], t));

        // Another kind of pixels is another transform; the same kind again is a hit.
        var rgba = cache.Get("adobe", profile, ColourTransformKind.Rgba);
        Assert.NotNull(rgba);
        Assert.NotSame(got[0], rgba);
        Assert.Same(got[0], cache.Get("adobe", profile, ColourTransformKind.Rgb));
        Assert.Equal(2, cache.Builds);
        Assert.Equal(Threads, cache.Hits);
    }

    [Fact]
    public void The_cache_keeps_at_most_its_capacity_and_lets_the_least_recently_used_go()
    {
        var profile = Profile(AdobeRgb);
        var cache = new ColourTransformCache(capacity: 3);
        var first = cache.Get("p1", profile, ColourTransformKind.Rgb);
        cache.Get("p2", profile, ColourTransformKind.Rgb);
        cache.Get("p3", profile, ColourTransformKind.Rgb);
        cache.Get("p1", profile, ColourTransformKind.Rgb); // p1 is now the most recent; p2 the least.
        cache.Get("p4", profile, ColourTransformKind.Rgb);
        cache.Get("p5", profile, ColourTransformKind.Rgb);

        Assert.Equal(3, cache.Count);
        Assert.Equal(5, cache.Builds);
        Assert.Same(first, cache.Get("p1", profile, ColourTransformKind.Rgb));
        Assert.Equal(5, cache.Builds);
        cache.Get("p2", profile, ColourTransformKind.Rgb);
        Assert.Equal(6, cache.Builds);
        Assert.Equal(3, cache.Count);
    }

    [Fact]
    public void An_evicted_transform_still_works_for_whoever_holds_it()
    {
        var profile = Profile(AdobeRgb);
        var cache = new ColourTransformCache(capacity: 1);
        var held = cache.Get("held", profile, ColourTransformKind.Rgb)!;
        cache.Get("other", profile, ColourTransformKind.Rgb);
        GC.Collect();
        GC.WaitForPendingFinalizers();

        var pixels = new byte[] { 10, 200, 30, 250, 250, 250 };
        var output = new byte[6];
        held.Transform(pixels, output, 2, 1, 6, 6);
        Assert.NotEqual(pixels, output);
    }

    [Fact]
    public void A_profile_that_cannot_be_built_is_remembered_and_answered_with_null()
    {
        var cache = new ColourTransformCache();
        var garbage = new byte[600];
        new Random(3).NextBytes(garbage);

        Assert.Null(cache.Get("garbage", garbage, ColourTransformKind.Rgb));
        Assert.Null(cache.Get("garbage", garbage, ColourTransformKind.Rgb));

        // An RGB profile for CMYK pixels is a failure of that kind only.
        var profile = Profile(AdobeRgb);
        Assert.Null(cache.Get("adobe", profile, ColourTransformKind.Cmyk));
        Assert.NotNull(cache.Get("adobe", profile, ColourTransformKind.Rgb));

        Assert.Equal(3, cache.Builds);
        Assert.Equal(2, cache.Failures);
        Assert.Equal(1, cache.Hits);
    }

    [Fact]
    public void A_parsed_profile_is_keyed_by_its_hash()
    {
        var bytes = Profile(AdobeRgb);
        var profile = IccProfile.TryParse(bytes)!;
        var again = IccProfile.TryParse(bytes.ToArray())!;
        var cache = new ColourTransformCache();

        var transform = cache.Get(profile, ColourTransformKind.Rgb);
        Assert.NotNull(transform);
        Assert.Same(transform, cache.Get(again, ColourTransformKind.Rgb));
        Assert.Same(transform, cache.Get(profile.Hash, [], ColourTransformKind.Rgb));
        Assert.Equal(1, cache.Builds);
    }

    [Fact]
    public void Arguments_are_checked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ColourTransformCache(0));
        Assert.Throws<ArgumentException>(() => new ColourTransformCache().Get("", [1, 2, 3], ColourTransformKind.Rgb));
    }

    internal static byte[] Profile(string path)
    {
        Assert.True(File.Exists(path), $"Expected the ICC profile {path}: install colord-data and libgs-common (scripts/test installs them)");
        return File.ReadAllBytes(path);
    }
}
