using Tessera.Imaging.Batch;
using Tessera.Testing;

namespace Tessera.Cli.Tests.Commands;

/// <summary>
/// The checks <c>tessera convert</c> makes before it builds <see cref="ConvertOptions"/>: a usage error (exit 2) whose
/// one line names the flag, the range and the value; and the boundary values accepted.
/// </summary>
public sealed class ConvertOptionsTests : IDisposable
{
    private readonly MasterFixtures _fixtures = new("tessera-convert-options-");

    [Theory]
    [InlineData("--tile-size", "0", "Expected 1..8192 for --tile-size but received 0")]
    [InlineData("--tile-size", "8193", "Expected 1..8192 for --tile-size but received 8193")]
    [InlineData("--quality", "0", "Expected 1..100 for --quality but received 0")]
    [InlineData("--quality", "101", "Expected 1..100 for --quality but received 101")]
    [InlineData("--jobs", "0", "Expected a positive integer for --jobs but received 0")]
    [InlineData("--jobs", "-2", "Expected a positive integer for --jobs but received -2")]
    [InlineData("--shard", "2/2", "Expected 0 <= i < n for --shard i/n but received \"2/2\"")]
    [InlineData("--shard", "half", "Expected i/n for --shard (e.g. 0/4) but received \"half\"")]
    public async Task A_value_out_of_range_is_a_usage_error_naming_the_flag(string flag, string value, string message)
    {
        var master = _fixtures.Photo("a.jpg", 200);

        var (exit, _, error) = await CliRunner.RunAsync("convert", master, "--out", _fixtures.Out("serve"), flag, value);

        Assert.Equal(2, exit);
        Assert.Equal(message, error.TrimEnd());
        Assert.False(Directory.Exists(_fixtures.Out("serve")), "nothing is written after a usage error");
    }

    [Fact]
    public async Task The_boundary_values_are_accepted()
    {
        var master = _fixtures.Photo("a.jpg", 200);

        // 16, not 1: libvips writes TIFF tiles in multiples of 16 only, which the flag's check does not know yet.
        var (exit, _, error) = await CliRunner.RunAsync("convert", master, "--out", _fixtures.Out("serve"), "--tile-size", "8192", "--quality", "1", "--jobs", "1", "--shard", "0/1");
        var (exit2, _, error2) = await CliRunner.RunAsync("convert", master, "--out", _fixtures.Out("serve100"), "--tile-size", "16", "--quality", "100");

        Assert.True(exit == 0, error);
        Assert.True(exit2 == 0, error2);
        Assert.True(File.Exists(Path.Combine(_fixtures.Out("serve"), "a.tif")));
        Assert.True(File.Exists(Path.Combine(_fixtures.Out("serve100"), "a.tif")));
    }

    [Fact]
    public async Task A_format_other_than_tif_or_jp2_is_refused_by_the_parser_listing_the_choices()
    {
        var master = _fixtures.Photo("a.jpg", 200);

        var (exit, _, error) = await CliRunner.RunAsync("convert", master, "--out", _fixtures.Out("serve"), "--format", "png");

        Assert.NotEqual(0, exit);
        Assert.Contains("'png'", error, StringComparison.Ordinal);
        Assert.Contains("'tif'", error, StringComparison.Ordinal);
        Assert.Contains("'jp2'", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_fixtures.Out("serve")), "nothing is written after a usage error");
    }

    public void Dispose() => _fixtures.Dispose();
}
