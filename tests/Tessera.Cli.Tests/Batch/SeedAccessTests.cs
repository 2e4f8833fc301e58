using Tessera.Testing;
using Tessera.Vips;

namespace Tessera.Cli.Tests.Batch;

/// <summary>
/// <c>tessera seed --access</c>: a static tree is public, so an image the rules protect is left out (and said so), and
/// a public image's redaction boxes are drawn on its tiles as the server draws them.
/// </summary>
public sealed class SeedAccessTests : IDisposable
{
    private readonly MasterFixtures _fixtures = new("tessera-seed-access-");

    public void Dispose() => _fixtures.Dispose();

    [Fact]
    public async Task Protected_images_are_left_out_and_redaction_boxes_are_drawn()
    {
        _fixtures.Photo("open.jpg", 600);
        _fixtures.Photo("redacted.jpg", 600);
        _fixtures.Photo("closed/a.jpg", 600);
        _fixtures.Photo("faint.jpg", 600);
        var rules = Path.Combine(_fixtures.Folder, "rules.json");
        await File.WriteAllTextAsync(rules, """
            {"rules": [
              {"match": "closed/*", "access": "login"},
              {"match": "faint.jpg", "access": "degraded", "maxSize": 200},
              {"match": "redacted.jpg", "access": "public", "redact": [[0, 0, 200, 200]]}
            ]}
            """, TestContext.Current.CancellationToken);
        var output = _fixtures.Out("static");

        var (exit, _, error) = await CliRunner.RunAsync("seed", "--root", _fixtures.Root, "--out", output, "--access", rules, "--jobs", "1");

        Assert.True(exit == 0, error);
        Assert.Contains("left out closed/a.jpg: the access rules make it login", error, StringComparison.Ordinal);
        Assert.Contains("left out faint.jpg: the access rules make it degraded", error, StringComparison.Ordinal);
        var files = MasterFixtures.Files(output);
        Assert.DoesNotContain(files, f => f.StartsWith("closed/", StringComparison.Ordinal) || f.StartsWith("faint.jpg/", StringComparison.Ordinal));
        Assert.Contains("open.jpg/info.json", files);

        // The first tile: black inside the box, as the unredacted image outside it.
        var tile = files.Single(f => f.StartsWith("open.jpg/0,0,256,256/", StringComparison.Ordinal))["open.jpg/".Length..];
        using var redacted = VipsImage.NewFromFile(Path.Combine(output, "redacted.jpg", tile));
        using var open = VipsImage.NewFromFile(Path.Combine(output, "open.jpg", tile));
        Assert.All(redacted.GetPoint(100, 100), v => Assert.True(v < 16, $"inside the box: {v}"));
        Assert.True(open.GetPoint(100, 100).Sum() > 48, "the unredacted image is not dark there, or the check would prove nothing");
        var outside = redacted.GetPoint(240, 240).Zip(open.GetPoint(240, 240), (a, b) => Math.Abs(a - b)).Max();
        Assert.True(outside < 12, $"outside the box the tiles differ by {outside}");

        // A bad rules file: its line and reason, exit 2, nothing seeded.
        await File.WriteAllTextAsync(rules, "{\"rules\": [{\"match\": \"x\", \"access\": \"secret\"}]}", TestContext.Current.CancellationToken);
        var bad = await CliRunner.RunAsync("seed", "--root", _fixtures.Root, "--out", _fixtures.Out("none"), "--access", rules);
        Assert.Equal(2, bad.Exit);
        Assert.Contains("Expected public, login, degraded or hidden", bad.Error, StringComparison.Ordinal);
    }
}
