using Tessera.Imaging.Batch;
using Tessera.Testing;

namespace Tessera.Cli.Tests.Commands;

/// <summary>
/// The checks <c>tessera seed</c> makes before it builds <see cref="SeedOptions"/>: a usage error (exit 2) whose one
/// line names the flag, what was expected and what came; and the boundary values accepted.
/// </summary>
public sealed class SeedOptionsTests : IDisposable
{
    private readonly MasterFixtures _fixtures = new("tessera-seed-options-");

    [Theory]
    [InlineData("--tile-size", "0", "Expected 1..8192 for --tile-size but received 0")]
    [InlineData("--tile-size", "8193", "Expected 1..8192 for --tile-size but received 8193")]
    [InlineData("--quality", "0", "Expected 1..100 for --quality but received 0")]
    [InlineData("--quality", "101", "Expected 1..100 for --quality but received 101")]
    [InlineData("--jobs", "0", "Expected a positive integer for --jobs but received 0")]
    [InlineData("--shard", "1/1", "Expected 0 <= i < n for --shard i/n but received \"1/1\"")]
    [InlineData("--shard", "0-4", "Expected i/n for --shard (e.g. 0/4) but received \"0-4\"")]
    [InlineData("--scale-factors", "3", "Expected comma-separated powers of two for --scale-factors but received \"3\"")]
    [InlineData("--scale-factors", "0,1", "Expected comma-separated powers of two for --scale-factors but received \"0,1\"")]
    [InlineData("--scale-factors", "1,2,x", "Expected comma-separated powers of two for --scale-factors but received \"1,2,x\"")]
    [InlineData("--base-url", "ftp://example.org", "Expected an absolute http(s) URL for --base-url but received \"ftp://example.org\"")]
    [InlineData("--base-url", "example.org/iiif", "Expected an absolute http(s) URL for --base-url but received \"example.org/iiif\"")]
    public async Task A_value_out_of_range_is_a_usage_error_naming_the_flag(string flag, string value, string message)
    {
        var (exit, _, error) = await CliRunner.RunAsync("seed", "--root", _fixtures.Root, "--out", _fixtures.Out("static"), flag, value);

        Assert.Equal(2, exit);
        Assert.Equal(message, error.TrimEnd());
        Assert.False(Directory.Exists(_fixtures.Out("static")), "nothing is written after a usage error");
    }

    [Fact]
    public async Task A_root_that_does_not_exist_is_a_usage_error_quoting_it()
    {
        var missing = _fixtures.Out("missing");

        var (exit, _, error) = await CliRunner.RunAsync("seed", "--root", missing, "--out", _fixtures.Out("static"));

        Assert.Equal(2, exit);
        Assert.Equal($"Expected an existing folder, s3://bucket/prefix or https://host/prefix/ for --root but received \"{missing}\"", error.TrimEnd());
    }

    [Fact]
    public async Task The_boundary_values_are_accepted()
    {
        _fixtures.Photo("a.jpg", 200);

        var (exit, _, error) = await CliRunner.RunAsync(
            "seed", "--root", _fixtures.Root, "--out", _fixtures.Out("static"), "--tile-size", "8192", "--quality", "100", "--jobs", "1",
            "--shard", "0/1", "--scale-factors", " 1, 2,4 ", "--base-url", "https://example.org/iiif");

        Assert.True(exit == 0, error);
        Assert.True(File.Exists(Path.Combine(_fixtures.Out("static"), "a.jpg", "info.json")));
    }

    public void Dispose() => _fixtures.Dispose();
}
