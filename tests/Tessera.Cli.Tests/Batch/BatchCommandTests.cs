using Tessera.Testing;

namespace Tessera.Cli.Tests.Batch;

public sealed class BatchCommandTests : IDisposable
{
    private readonly MasterFixtures _fixtures = new("tessera-cli-");

    [Theory]
    [InlineData("convert", "--out", "--tile-size", "--quality", "--format", "--keep-profile", "--jobs", "--shard")]
    [InlineData("seed", "--root", "--out", "--version", "--tile-size", "--scale-factors", "--base-url", "--shard")]
    [InlineData("process", "--root", "--instructions", "--out", "--report", "--uri-template", "--shard")]
    public async Task Help_explains_every_option_with_examples(string command, params string[] options)
    {
        var (exit, output, _) = await CliRunner.RunAsync(command, "--help");

        Assert.Equal(0, exit);
        Assert.Contains("Examples:", output, StringComparison.Ordinal);
        Assert.Contains($"tessera {command} ", output, StringComparison.Ordinal);
        foreach (var option in options)
        {
            Assert.Contains(option, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_bad_shard_is_a_usage_error_naming_the_flag()
    {
        var (exit, _, error) = await CliRunner.RunAsync("seed", "--root", _fixtures.Root, "--out", _fixtures.Out("x"), "--shard", "4/4");

        Assert.Equal(2, exit);
        Assert.Contains("--shard", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Convert_exits_non_zero_when_a_master_fails_and_prints_a_summary()
    {
        _fixtures.Photo("good.jpg", 300);
        File.WriteAllText(Path.Combine(_fixtures.Root, "bad.jpg"), "not an image");

        var (exit, _, error) = await CliRunner.RunAsync("convert", _fixtures.Root, "--out", _fixtures.Out("serve"));

        Assert.Equal(1, exit);
        Assert.Contains("bad.jpg", error, StringComparison.Ordinal);
        Assert.Contains("convert: 1 written, 0 skipped, 1 failed", error, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_fixtures.Out("serve"), "good.tif")));
    }

    [Fact]
    public async Task Convert_names_each_master_it_converted_to_srgb_and_keep_profile_converts_none()
    {
        const string adobe = "/usr/share/color/icc/colord/AdobeRGB1998.icc";
        var master = _fixtures.Photo("adobe.jpg", 300, "jpegsave", ("profile", adobe));
        _fixtures.Photo("plain.jpg", 300);

        var (exit, _, error) = await CliRunner.RunAsync("convert", _fixtures.Root, "--out", _fixtures.Out("serve"));
        var (keptExit, _, kept) = await CliRunner.RunAsync("convert", _fixtures.Root, "--out", _fixtures.Out("embed"), "--keep-profile");

        Assert.Equal((0, 0), (exit, keptExit));
        Assert.Contains($"converted from \"Compatible with Adobe RGB (1998)\" to sRGB: {master}", error, StringComparison.Ordinal);
        Assert.DoesNotContain("plain.jpg", error, StringComparison.Ordinal);
        Assert.DoesNotContain("converted", kept, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_progress_lines_carry_counts_rate_and_eta()
    {
        _fixtures.Photo("a.jpg", 300);

        var (exit, _, error) = await CliRunner.RunAsync("seed", "--root", _fixtures.Root, "--out", _fixtures.Out("s"));

        Assert.Equal(0, exit);
        Assert.Matches(@"seed: \d+/\d+ \(100%\), \d+/s, ETA \d\d:\d\d:\d\d, 0 failed", error);
    }

    [Fact]
    public async Task Process_writes_the_report_to_a_file_or_to_standard_output()
    {
        _fixtures.Photo("a.jpg", 300);
        var instructions = Path.Combine(_fixtures.Folder, "i.json");
        File.WriteAllText(instructions, """{"n": {"size": "!100,100"}}""");
        var report = Path.Combine(_fixtures.Folder, "report.json");

        var (exit, _, error) = await CliRunner.RunAsync("process", "--root", _fixtures.Root, "--instructions", instructions, "--out", _fixtures.Out("d"), "--report", report);
        var (exit2, stdout, _) = await CliRunner.RunAsync("process", "--root", _fixtures.Root, "-i", instructions, "-o", _fixtures.Out("d"));

        Assert.True(exit == 0, error);
        Assert.Equal(0, exit2);
        Assert.Contains("\"a.jpg\"", File.ReadAllText(report), StringComparison.Ordinal);
        Assert.Contains("\"palette\"", stdout, StringComparison.Ordinal);
    }

    public void Dispose() => _fixtures.Dispose();
}
