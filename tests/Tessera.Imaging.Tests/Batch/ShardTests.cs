using Tessera.Imaging.Batch;

namespace Tessera.Imaging.Tests.Batch;

public sealed class ShardTests
{
    [Theory]
    [InlineData("0/1", 0, 1)]
    [InlineData("2/4", 2, 4)]
    [InlineData("9/10", 9, 10)]
    public void Parses_i_of_n_numbered_from_zero(string text, int index, int count)
    {
        Assert.True(Shard.TryParse(text, out var shard, out _));
        Assert.Equal(new Shard(index, count), shard);
    }

    [Theory]
    [InlineData("4/4")]
    [InlineData("-1/4")]
    [InlineData("1/0")]
    [InlineData("1")]
    [InlineData("a/b")]
    [InlineData("")]
    public void Refuses_anything_else_naming_the_flag(string text)
    {
        Assert.False(Shard.TryParse(text, out _, out var error));
        Assert.Contains("--shard", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parts_are_disjoint_and_complete_and_roughly_even()
    {
        var keys = Enumerable.Range(0, 10_000).Select(i => $"photo.tif/{i * 256},0,256,256/256,256/0/default.jpg").ToList();
        var shards = Enumerable.Range(0, 7).Select(i => new Shard(i, 7)).ToList();

        foreach (var key in keys)
        {
            Assert.Equal(1, shards.Count(s => s.Owns(key)));
        }

        foreach (var shard in shards)
        {
            Assert.InRange(keys.Count(shard.Owns), 1200, 1650);
        }
    }

    [Theory]
    [InlineData("photo.tif/info.json", 1, 2)]
    [InlineData("a", 0, 5)]
    [InlineData("maps/1850.tif/0,0,256,256/256,256/0/default.jpg", 2, 4)]
    public void Assignment_is_a_fixed_function_of_the_key(string key, int ownerOf4, int ownerOf7)
    {
        // FNV-1a is fixed: these must never change, or parts of one job run by different builds would overlap.
        Assert.True(new Shard(ownerOf4, 4).Owns(key));
        Assert.True(new Shard(ownerOf7, 7).Owns(key));
    }
}
