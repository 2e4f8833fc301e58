using System.Diagnostics;
using System.Text.Json;

namespace Tessera.Testing.Presentation;

/// <summary>
/// Validates documents against the official IIIF Presentation 3.0 JSON Schema with ajv (web/validate-presentation.mjs,
/// installed by <c>npm ci</c> in web/ when Tessera.Server builds). Returns each file's errors; empty means valid.
/// </summary>
public static class PresentationValidator
{
    /// <summary>The repository's <c>web/</c> folder, where the validator script and its node_modules are.</summary>
    public static string WebFolder()
    {
        var folder = Repository.PathOf("web");
        return File.Exists(Path.Combine(folder, "validate-presentation.mjs"))
            ? folder
            : throw new FileNotFoundException($"Expected web/validate-presentation.mjs in {Repository.Root} but it is not there");
    }

    /// <summary>Validates JSON texts; the result maps each to its list of schema errors.</summary>
    public static async Task<IReadOnlyList<(string Name, IReadOnlyList<string> Errors)>> ValidateAsync(IEnumerable<(string Name, string Json)> documents)
    {
        var folder = Directory.CreateTempSubdirectory("tessera-validate-").FullName;
        try
        {
            var files = new List<(string Name, string Path)>();
            foreach (var (name, json) in documents)
            {
                var path = Path.Combine(folder, $"{files.Count}.json");
                await File.WriteAllTextAsync(path, json);
                files.Add((name, path));
            }

            return await ValidateFilesAsync(files);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public static async Task<IReadOnlyList<(string Name, IReadOnlyList<string> Errors)>> ValidateFilesAsync(IReadOnlyList<(string Name, string Path)> files)
    {
        Assert.NotEmpty(files);
        var start = new ProcessStartInfo("node") { WorkingDirectory = WebFolder(), RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("validate-presentation.mjs");
        foreach (var (_, path) in files)
        {
            start.ArgumentList.Add(path);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode is 0 or 1, $"The validator failed to run (exit {process.ExitCode}): {error}");

        var results = new List<(string, IReadOnlyList<string>)>();
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(files.Count, lines.Length);
        for (var i = 0; i < files.Count; i++)
        {
            using var line = JsonDocument.Parse(lines[i]);
            var errors = line.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToList();
            if (!line.RootElement.GetProperty("valid").GetBoolean() && errors.Count == 0)
            {
                errors.Add("invalid");
            }

            results.Add((files[i].Name, errors));
        }

        // The exit code and the per-file verdicts must agree.
        Assert.Equal(results.Any(r => r.Item2.Count > 0) ? 1 : 0, process.ExitCode);
        return results;
    }

    /// <summary>Fails the test, naming each invalid document and its errors.</summary>
    public static void AssertAllValid(IReadOnlyList<(string Name, IReadOnlyList<string> Errors)> results)
    {
        var invalid = results.Where(r => r.Errors.Count > 0).Select(r => $"{r.Name}: {string.Join("; ", r.Errors)}").ToList();
        Assert.True(invalid.Count == 0, "Invalid Presentation 3.0 documents:\n" + string.Join("\n", invalid));
    }
}
