using Tessera.Cli.Commands;
using Tessera.Imaging.Batch;

namespace Tessera.Cli.Tests.Commands;

/// <summary>
/// The checks the batch commands share (<see cref="BatchOptions"/>): positive and bounded integers, and
/// <c>--shard i/n</c>. Each message names the flag, what was expected and what came.
/// </summary>
public sealed class BatchOptionsTests
{
    [Theory]
    [InlineData(int.MinValue, false)]
    [InlineData(-1, false)]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(int.MaxValue, true)]
    public void Positive_accepts_1_and_more(int value, bool valid)
    {
        using var error = new StringWriter();

        Assert.Equal(valid, BatchOptions.Positive(value, "--jobs", error));
        Assert.Equal(valid ? string.Empty : $"Expected a positive integer for --jobs but received {value}", error.ToString().TrimEnd());
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(100, true)]
    [InlineData(101, false)]
    public void Positive_with_a_maximum_accepts_1_to_it(int value, bool valid)
    {
        using var error = new StringWriter();

        Assert.Equal(valid, BatchOptions.Positive(value, "--quality", error, 100));
        Assert.Equal(valid ? string.Empty : $"Expected 1..100 for --quality but received {value}", error.ToString().TrimEnd());
    }

    [Theory]
    [InlineData(null, 0, 1)]
    [InlineData("0/1", 0, 1)]
    [InlineData("3/4", 3, 4)]
    public void A_shard_is_optional_and_i_of_n_when_given(string? text, int index, int count)
    {
        using var error = new StringWriter();

        Assert.True(BatchOptions.TryShard(text, error, out var shard));
        Assert.Equal(new Shard(index, count), shard);
        Assert.Empty(error.ToString());
    }

    [Theory]
    [InlineData("", "Expected i/n for --shard (e.g. 0/4) but received \"\"")]
    [InlineData("1", "Expected i/n for --shard (e.g. 0/4) but received \"1\"")]
    [InlineData("1/2/3", "Expected i/n for --shard (e.g. 0/4) but received \"1/2/3\"")]
    [InlineData("a/b", "Expected i/n for --shard (e.g. 0/4) but received \"a/b\"")]
    [InlineData("4/4", "Expected 0 <= i < n for --shard i/n but received \"4/4\"")]
    [InlineData("-1/4", "Expected 0 <= i < n for --shard i/n but received \"-1/4\"")]
    [InlineData("0/0", "Expected 0 <= i < n for --shard i/n but received \"0/0\"")]
    public void Any_other_shard_is_refused_with_the_reason(string text, string message)
    {
        using var error = new StringWriter();

        Assert.False(BatchOptions.TryShard(text, error, out _));
        Assert.Equal(message, error.ToString().TrimEnd());
    }
}
