using Tessera.Testing;

namespace Tessera.Cli.Tests.Batch;

/// <summary>
/// Damaged masters among good ones (<see cref="DamagedFiles"/>): each batch command reports each one with its reason,
/// goes on with the rest, and exits 1.
/// </summary>
public sealed class DamagedMasterTests : IDisposable
{
    private static readonly string[] Damaged = ["cut-baseline.jpg", "cut-50.jp2", "cut.png", "bad-ifd.tif", "tile-past-end.tif", "random.jpg"];

    private readonly MasterFixtures _fixtures = new("tessera-damaged-cli-");

    public DamagedMasterTests()
    {
        _fixtures.Photo("good.jpg", 400);
        var files = new DamagedFiles(_fixtures.Out("all"), width: 600);
        foreach (var (name, _) in files.All())
        {
            if (Damaged.Contains(name))
            {
                File.Copy(Path.Combine(files.Folder, name), Path.Combine(_fixtures.Root, name));
            }
        }
    }

    [Theory]
    [InlineData("convert")]
    [InlineData("seed")]
    [InlineData("process")]
    public async Task A_batch_reports_each_damaged_master_with_its_reason_and_does_the_rest(string command)
    {
        var instructions = Path.Combine(_fixtures.Folder, "i.json");
        File.WriteAllText(instructions, """{"n": {"size": "!100,100"}}""");
        string[] args = command switch
        {
            "convert" => ["convert", _fixtures.Root, "--out", _fixtures.Out("out")],
            "seed" => ["seed", "--root", _fixtures.Root, "--out", _fixtures.Out("out")],
            _ => ["process", "--root", _fixtures.Root, "--instructions", instructions, "--out", _fixtures.Out("out"), "--report", Path.Combine(_fixtures.Folder, "report.json")],
        };

        var (exit, _, error) = await CliRunner.RunAsync(args);

        Assert.True(exit == 1, $"exit {exit}: {error}");
        foreach (var name in Damaged)
        {
            var line = error.Split('\n').FirstOrDefault(l => l.Contains(name, StringComparison.Ordinal) && !l.Contains(" written", StringComparison.Ordinal));
            Assert.True(line is not null, $"{name} not reported:\n{error}");
            Assert.True(
                line.Contains("truncated", StringComparison.OrdinalIgnoreCase) || line.Contains("TIFF", StringComparison.Ordinal) || line.Contains("not a readable image", StringComparison.Ordinal),
                $"{name} reported without its reason: {line}");
        }

        Assert.True(Directory.EnumerateFiles(_fixtures.Out("out"), "*", SearchOption.AllDirectories).Any(f => f.Contains("good", StringComparison.Ordinal)), $"good.jpg not done:\n{error}");
    }

    [Fact]
    public async Task A_manifest_leaves_out_damaged_images_and_says_why()
    {
        var (exit, output, error) = await CliRunner.RunAsync("manifest", "--root", _fixtures.Root, "--out", _fixtures.Out("docs"), "--base-url", "https://images.example.org/");

        var all = output + error;
        Assert.True(exit is 0 or 1, $"exit {exit}: {all}");
        Assert.True(File.Exists(Path.Combine(_fixtures.Out("docs"), "good.jpg", "manifest.json")) || Directory.EnumerateFiles(_fixtures.Out("docs"), "*.json", SearchOption.AllDirectories).Any(f => f.Contains("good", StringComparison.Ordinal)), all);
        Assert.Contains("cut-baseline.jpg", all, StringComparison.Ordinal);
        Assert.Contains("truncated", all, StringComparison.OrdinalIgnoreCase);
    }

    public void Dispose() => _fixtures.Dispose();
}
