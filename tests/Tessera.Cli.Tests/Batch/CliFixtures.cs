using System.Diagnostics;
using Tessera.Cli.Commands;
using Tessera.Vips;

namespace Tessera.Cli.Tests.Batch;

/// <summary>Temporary folders, test images made with libvips, and ways to run <c>tessera</c> in-process or as a child process.</summary>
internal sealed class CliFixtures : IDisposable
{
    public CliFixtures()
    {
        Folder = Directory.CreateTempSubdirectory("tessera-cli-").FullName;
        Root = Path.Combine(Folder, "root");
        Directory.CreateDirectory(Root);
    }

    public string Folder { get; }

    public string Root { get; }

    public string Out(string name) => Path.Combine(Folder, name);

    public static string Sample(string name = "sunset_by_Aitzol_Berasategi.jpg")
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var samples = Path.Combine(dir.FullName, "samples");
            if (File.Exists(Path.Combine(samples, "LICENSES.md")))
            {
                return Path.Combine(samples, name);
            }
        }

        throw new DirectoryNotFoundException("The repository's samples folder was not found above " + AppContext.BaseDirectory);
    }

    public string Photo(string name, int width, string saver = "jpegsave", params VipsArg[] options)
    {
        using var thumbnail = VipsOperation.Image("thumbnail", ("filename", Sample()), ("width", width));
        var path = Path.Combine(Root, name);
        thumbnail.SaveToFile(saver, path, options);
        return path;
    }

    public string Pyramid(string name, int width) =>
        Photo(name, width, "tiffsave", ("tile", true), ("tile_width", 256), ("tile_height", 256), ("pyramid", true), ("compression", "jpeg"), ("Q", 90));

    public static SortedSet<string> Files(string folder) =>
        new(Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
            : [], StringComparer.Ordinal);

    /// <summary>Runs the command in this process, capturing its output and error writers.</summary>
    public static async Task<(int Exit, string Out, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await TesseraCommand.Create().Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>Starts <c>tessera</c> as a child process (<c>dotnet tessera.dll ...</c>), output redirected.</summary>
    public static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(TesseraCommand).Assembly.Location);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
