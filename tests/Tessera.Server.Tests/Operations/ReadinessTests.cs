using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Hosting;

namespace Tessera.Server.Tests.Operations;

/// <summary>
/// <c>/readyz</c> against servers of their own (the shared one's root must not move): it flips to 503 with the reason
/// when the root goes or the disk cache cannot be written, and back when they return.
/// </summary>
public sealed class ReadinessTests
{
    [Fact]
    public async Task Readyz_is_503_while_the_root_is_renamed_away_and_200_when_it_returns()
    {
        var root = Directory.CreateTempSubdirectory("tessera-ready-root-").FullName;
        var cache = Directory.CreateTempSubdirectory("tessera-ready-cache-").FullName;
        var away = root + "-away";
        try
        {
            await using var server = await StartAsync(root, cache);
            await ExpectAsync(server.Client, HttpStatusCode.OK, "[+]root ok");

            Directory.Move(root, away);
            await ExpectAsync(server.Client, HttpStatusCode.ServiceUnavailable, "[-]root failed");

            Directory.Move(away, root);
            await ExpectAsync(server.Client, HttpStatusCode.OK, "readyz check passed");
        }
        finally
        {
            DeleteQuietly(away);
            DeleteQuietly(root);
            DeleteQuietly(cache);
        }
    }

    [Fact]
    public async Task Readyz_is_503_while_the_disk_cache_folder_cannot_be_written()
    {
        var root = Directory.CreateTempSubdirectory("tessera-ready-root-").FullName;
        var cache = Directory.CreateTempSubdirectory("tessera-ready-cache-").FullName;
        try
        {
            await using var server = await StartAsync(root, cache);
            await ExpectAsync(server.Client, HttpStatusCode.OK, "[+]disk-cache ok");

            // A file where the folder was: nothing can be created under it, whoever the process runs as (chmod does
            // nothing to root).
            Directory.Delete(cache, recursive: true);
            await File.WriteAllTextAsync(cache, "in the way", TestContext.Current.CancellationToken);
            await ExpectAsync(server.Client, HttpStatusCode.ServiceUnavailable, "[-]disk-cache failed");

            File.Delete(cache);
            Directory.CreateDirectory(cache);
            await ExpectAsync(server.Client, HttpStatusCode.OK, "readyz check passed");
            Assert.Empty(Directory.GetFiles(cache, "*", SearchOption.AllDirectories));
        }
        finally
        {
            if (File.Exists(cache))
            {
                File.Delete(cache);
            }

            DeleteQuietly(root);
            DeleteQuietly(cache);
        }
    }

    [Fact]
    public async Task Readyz_is_503_while_the_disk_cache_is_full()
    {
        if (Environment.UserName != "root")
        {
            Assert.Skip("Mounting a tiny tmpfs needs root");
        }

        var root = Directory.CreateTempSubdirectory("tessera-ready-root-").FullName;
        var cache = Directory.CreateTempSubdirectory("tessera-ready-tmpfs-").FullName;
        Run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", cache);
        try
        {
            await using var server = await StartAsync(root, cache);
            await ExpectAsync(server.Client, HttpStatusCode.OK, "[+]disk-cache ok");

            var filler = Path.Combine(cache, "filler");
            await using (var file = new FileStream(filler, FileMode.CreateNew))
            {
                var block = new byte[64 * 1024];
                try
                {
                    for (var i = 0; i < 32; i++)
                    {
                        file.Write(block);
                        file.Flush();
                    }
                }
                catch (IOException)
                {
                    // The disk is full: what this test wanted.
                }
            }

            await ExpectAsync(server.Client, HttpStatusCode.ServiceUnavailable, "[-]disk-cache failed");

            File.Delete(filler);
            await ExpectAsync(server.Client, HttpStatusCode.OK, "readyz check passed");
            Assert.Empty(Directory.GetFiles(cache, "*.tmp", SearchOption.AllDirectories));
        }
        finally
        {
            Run("umount", cache);
            DeleteQuietly(root);
            DeleteQuietly(cache);
        }
    }

    private static async Task<RunningServer> StartAsync(string root, string cache)
    {
        var app = TesseraServer.Build(new TesseraServerOptions { Root = root, CacheDirectory = cache, Cache = CacheMode.Both }, ["http://127.0.0.1:0"]);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningServer(app, new Uri(address));
    }

    /// <summary>Polls /readyz (answers are kept for a second) until it says <paramref name="status"/>, for 5 s at most.</summary>
    private static async Task ExpectAsync(HttpClient client, HttpStatusCode status, string text)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            using var response = await client.GetAsync("/readyz", TestContext.Current.CancellationToken);
            var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            if (response.StatusCode == status && body.Contains(text, StringComparison.Ordinal))
            {
                Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
                return;
            }

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"Expected {(int)status} with \"{text}\" from /readyz but received {(int)response.StatusCode}:\n{body}");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }

    private static void Run(string command, params string[] args)
    {
        using var process = Process.Start(command, args);
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }

    private static void DeleteQuietly(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }

    private sealed class RunningServer(WebApplication app, Uri address) : IAsyncDisposable
    {
        public HttpClient Client { get; } = new() { BaseAddress = address };

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
