using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Tessera.Server.Tests.Fixtures;

/// <summary>
/// One iipsrv 1.1 (Debian's <c>iipimage-server</c>) under lighttpd's FastCGI, as the benchmark runs it, started on first
/// use for a root and stopped with its FastCGI processes at the end of the class, with <c>CORS=*</c> as a site whose
/// viewer page lives on another host sets it. Tests using it are skipped when iipsrv or lighttpd is not installed.
/// </summary>
public sealed class IipsrvFixture : IDisposable
{
    public const string Path = "/fcgi-bin/iipsrv.fcgi";
    private const string Binary = "/usr/lib/iipimage-server/iipsrv.fcgi";
    private const string Lighttpd = "/usr/sbin/lighttpd";
    private readonly Lock _gate = new();
    private readonly string _work = Directory.CreateTempSubdirectory("tessera-iipsrv-").FullName;
    private Process? _lighttpd;
    private HttpClient? _client;

    /// <summary>A client of iipsrv serving <paramref name="root"/> (the first root asked for).</summary>
    public HttpClient Client(string root)
    {
        Assert.SkipUnless(File.Exists(Binary) && File.Exists(Lighttpd), $"iipsrv ({Binary}, Debian's iipimage-server) or lighttpd is not installed");
        lock (_gate)
        {
            return _client ??= Start(root);
        }
    }

    public void Dispose()
    {
        _client?.Dispose();
        if (_lighttpd is { HasExited: false })
        {
            // lighttpd forks the FastCGI processes: they go with it.
            _lighttpd.Kill(entireProcessTree: true);
            _lighttpd.WaitForExit(10_000);
        }

        _lighttpd?.Dispose();
        Directory.Delete(_work, recursive: true);
    }

    private HttpClient Start(string root)
    {
        var port = FreePort();
        var config = System.IO.Path.Combine(_work, "lighttpd.conf");
        File.WriteAllText(config, $$"""
            server.document-root = "{{_work}}"
            server.port = {{port}}
            server.bind = "127.0.0.1"
            server.errorlog = "{{_work}}/error.log"
            server.modules = ("mod_fastcgi")
            fastcgi.server = ( "{{Path}}" => ((
                "socket" => "{{_work}}/iipsrv.sock",
                "check-local" => "disable",
                "max-procs" => 1,
                "bin-path" => "{{Binary}}",
                "bin-environment" => ( "FILESYSTEM_PREFIX" => "{{root}}/", "JPEG_QUALITY" => "90", "VERBOSITY" => "0", "CORS" => "*" )
            )))
            """);
        _lighttpd = Process.Start(new ProcessStartInfo(Lighttpd, ["-D", "-f", config]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        HttpClient? owned = client;
        try
        {
            for (var attempt = 0; attempt < 100; attempt++)
            {
                try
                {
                    using var response = client.GetAsync($"{Path}?OBJ=IIP,1.0").GetAwaiter().GetResult();
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        owned = null;
                        return client;
                    }
                }
                catch (HttpRequestException)
                {
                }

                Thread.Sleep(100);
            }

            throw new InvalidOperationException($"iipsrv under lighttpd did not answer on port {port} (see {_work}/error.log)");
        }
        finally
        {
            owned?.Dispose();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
