using Tessera.Testing;

namespace Tessera.Cli.Tests.Commands;

/// <summary>The source limit flags of the batch commands: a source over a limit is reported with the reason, the rest go on.</summary>
public sealed class SourceLimitFlagsTests : IDisposable
{
    private readonly MasterFixtures _fixtures = new("tessera-limit-flags-");

    public void Dispose() => _fixtures.Dispose();

    [Fact]
    public async Task Convert_reports_the_bomb_and_converts_the_rest()
    {
        HostileFiles.ProgressiveJpegBomb(_fixtures.Root);
        _fixtures.Photo("good.jpg", 400);

        var (exit, output, error) = await CliRunner.RunAsync("convert", _fixtures.Root, "--out", _fixtures.Out("serve"), "--jobs", "1");

        Assert.Equal(1, exit);
        Assert.Contains("progressive-bomb.jpg", output + error, StringComparison.Ordinal);
        Assert.Contains("--max-decode-megabytes", output + error, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_fixtures.Out("serve"), "good.tif")));
    }

    [Fact]
    public async Task Seed_applies_the_limit_given_and_goes_on()
    {
        _fixtures.Photo("progressive.jpg", 1200, "jpegsave", ("interlace", true));
        _fixtures.Photo("good.jpg", 300);

        var (exit, output, error) = await CliRunner.RunAsync("seed", "--root", _fixtures.Root, "--out", _fixtures.Out("static"), "--jobs", "1", "--max-decode-megabytes", "1");

        Assert.Equal(1, exit);
        Assert.Contains("MaxDecodeMegabytes", output + error, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_fixtures.Out("static"), "good.jpg", "info.json")));
        Assert.False(File.Exists(Path.Combine(_fixtures.Out("static"), "progressive.jpg", "info.json")));
    }

    [Theory]
    [InlineData("seed")]
    [InlineData("process")]
    public async Task A_limit_below_one_is_a_usage_error(string command)
    {
        var instructions = _fixtures.Out("instructions.json");
        File.WriteAllText(instructions, """{"thumb": {"region": "full", "size": "100,", "rotation": "0", "quality": "default", "format": "jpg"}}""");
        string[] args = command == "seed"
            ? ["seed", "--root", _fixtures.Root, "--out", _fixtures.Out("x"), "--max-streamed-pixels", "0"]
            : ["process", "--root", _fixtures.Root, "--out", _fixtures.Out("x"), "--instructions", instructions, "--max-streamed-pixels", "0"];

        var (exit, _, error) = await CliRunner.RunAsync(args);

        Assert.Equal(2, exit);
        Assert.Contains("Expected a positive integer for MaxStreamedPixels but received 0", error, StringComparison.Ordinal);
    }
}
