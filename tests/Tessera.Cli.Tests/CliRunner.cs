using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
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

    /// <summary>A TCP port free on 127.0.0.1 at the time of asking, for a child <c>tessera serve</c>.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Waits until a child <c>tessera serve</c> answers <c>/readyz</c> with 200 (at most 60 s), failing the test if
    /// the child exits first. Readiness is asked of the server, not read from its output: the banner and the
    /// log's "Started" line may come in either order.
    /// </summary>
    public static async Task WaitUntilReadyAsync(Process child, int port)
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            Assert.False(child.HasExited, $"tessera serve exited with {(child.HasExited ? child.ExitCode : 0)} before it was ready");
            try
            {
                using var response = await client.GetAsync("/readyz", TestContext.Current.CancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                // A request timed out while the child was starting.
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.Fail("tessera serve was not ready within 60 s");
    }
}
