using System.Diagnostics;
using System.Globalization;

namespace Tessera.Imaging.Tests.Tiff;

/// <summary>Runs Debian's <c>vips</c> and <c>vipsheader</c> tools for fixtures and as the reference decoder.</summary>
internal static class VipsCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static string Vips(params string[] args) => Run("vips", args);

    public static string Header(string file, string field) => Run("vipsheader", ["-f", field, file]).Trim();

    public static int HeaderInt(string file, string field) => int.Parse(Header(file, field), CultureInfo.InvariantCulture);

    /// <summary>Mean absolute difference over all pixels and bands of two images of the same size.</summary>
    public static double MeanAbsoluteDifference(string a, string b, string workDir)
    {
        string diff = Path.Combine(workDir, $"diff-{Guid.NewGuid():N}.v");
        string abs = Path.Combine(workDir, $"abs-{Guid.NewGuid():N}.v");
        try
        {
            Vips("subtract", a, b, diff);
            Vips("abs", diff, abs);
            return double.Parse(Vips("avg", abs).Trim(), CultureInfo.InvariantCulture);
        }
        finally
        {
            File.Delete(diff);
            File.Delete(abs);
        }
    }

    /// <summary>Runs a tool, returns its standard output, throws with its standard error on failure or time-out.</summary>
    public static string Run(string tool, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {tool}.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} {string.Join(' ', start.ArgumentList)} did not finish in {Timeout}.");
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{tool} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}: {stderr.Result}");
        }

        return stdout.Result;
    }
}
