using System.Diagnostics;
using Tessera.Cli.Commands;

namespace Tessera.Cli.Tests;

/// <summary>Runs <c>tessera</c> in this process (output captured) or as a child process (output redirected).</summary>
internal static class CliRunner
{
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
}
