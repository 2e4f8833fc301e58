using System.Diagnostics;
using Tessera.Imaging.Batch;
using Tessera.Testing;

namespace Tessera.Cli.Tests.Batch;

/// <summary>A real <c>tessera seed</c> child process killed with SIGKILL mid-run, then run again.</summary>
public sealed class KillAndResumeTests : IDisposable
{
    private readonly MasterFixtures _fixtures = new("tessera-cli-");

    [Fact]
    public async Task After_kill_9_a_rerun_finishes_with_no_partial_file_and_the_same_tree()
    {
        // A plain JPEG re-decodes for every tile: slow enough per tile to be killed in the middle.
        _fixtures.Photo("big.jpg", 2500);
        var output = _fixtures.Out("killed");
        string[] Seed(string folder) => ["seed", "--root", _fixtures.Root, "--out", folder, "--jobs", "2", "big.jpg"];

        using (var child = CliRunner.Start(Seed(output)))
        {
            var clock = Stopwatch.StartNew();
            while (CountTiles(output) < 25 && !child.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(20);
            }

            Assert.False(child.HasExited, "the seed finished before it could be killed; make the image larger");
            child.Kill(entireProcessTree: true); // SIGKILL on Linux: no cleanup code runs
            await child.WaitForExitAsync();
        }

        var afterKill = MasterFixtures.Files(output).Where(f => !f.StartsWith(StagingArea.FolderName, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(afterKill);

        using (var rerun = CliRunner.Start(Seed(output)))
        {
            var log = await rerun.StandardError.ReadToEndAsync();
            await rerun.WaitForExitAsync();
            Assert.True(rerun.ExitCode == 0, log);
            Assert.Contains("skipped", log, StringComparison.Ordinal);
        }

        // Against an uninterrupted run: the same files, byte for byte, and no staging folder left behind.
        var clean = _fixtures.Out("clean");
        var (exit, _, error) = await CliRunner.RunAsync(Seed(clean));
        Assert.True(exit == 0, error);
        var resumed = MasterFixtures.Files(output);
        Assert.Equal(MasterFixtures.Files(clean), resumed);
        Assert.DoesNotContain(resumed, f => f.StartsWith(StagingArea.FolderName, StringComparison.Ordinal));
        foreach (var file in resumed)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(output, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(clean, file))), file);
        }
    }

    private static int CountTiles(string folder) =>
        Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "default.jpg", SearchOption.AllDirectories).Count() : 0;

    public void Dispose() => _fixtures.Dispose();
}
