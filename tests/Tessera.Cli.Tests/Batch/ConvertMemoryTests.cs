using Tessera.Testing;
using Tessera.Vips;

namespace Tessera.Cli.Tests.Batch;

/// <summary>The one heavy test: a 1-gigapixel master converts within 1 GB of peak resident memory.</summary>
public sealed class ConvertMemoryTests : IDisposable
{
    private const long OneGigabyte = 1L << 30;

    private readonly MasterFixtures _fixtures = new("tessera-cli-");

    [Fact]
    public async Task A_one_gigapixel_master_converts_with_peak_rss_under_1_GB()
    {
        // 32 × 48 copies of a 1000 × 667 photo: 32000 × 32016 = 1.02 gigapixels, made in a couple of seconds.
        var master = Path.Combine(_fixtures.Root, "giga.jpg");
        using (var small = VipsOperation.Image("thumbnail", ("filename", Samples.PathOf(Samples.Sunset)), ("width", 1000)))
        using (var tile = small.CopyMemory())
        using (var giga = VipsOperation.Image("replicate", ("in", tile), ("across", 32), ("down", 48)))
        {
            giga.SaveToFile("jpegsave", master, ("Q", 75));
        }

        var output = _fixtures.Out("serve");
        long peak = 0;
        using (var child = CliRunner.Start("convert", master, "--out", output, "--jobs", "1"))
        {
            var stderr = child.StandardError.ReadToEndAsync();
            var status = $"/proc/{child.Id}/status";
            while (!child.HasExited)
            {
                peak = Math.Max(peak, PeakRss(status));
                await Task.Delay(50);
            }

            await child.WaitForExitAsync();
            Assert.True(child.ExitCode == 0, await stderr);
        }

        Assert.InRange(peak, 1, OneGigabyte);
        using var converted = VipsImage.NewFromFile(Path.Combine(output, "giga.tif"));
        Assert.Equal((32000, 32016), (converted.Width, converted.Height));
        Assert.True(converted.PageCount >= 8, "a full pyramid");
        TestContext.Current.SendDiagnosticMessage($"peak RSS converting 1.02 Gpx: {peak / (1 << 20)} MiB");
    }

    /// <summary>VmHWM (the high-water mark of resident memory) of a running process, in bytes; 0 once it has gone.</summary>
    private static long PeakRss(string statusFile)
    {
        try
        {
            foreach (var line in File.ReadLines(statusFile))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return long.Parse(line[6..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }

    public void Dispose() => _fixtures.Dispose();
}
