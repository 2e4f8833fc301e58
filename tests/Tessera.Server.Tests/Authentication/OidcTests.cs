using System.Diagnostics;
using System.Net;
using Tessera.Server.Authentication;
using Tessera.Testing;

namespace Tessera.Server.Tests.Authentication;

/// <summary>
/// OpenID Connect sign-in against a real, certified provider (oidc-provider 9 in node, started by the test on 127.0.0.1):
/// the whole authorization code flow over HTTP, from Tessera's sign-in link to the session cookie and the roles.
/// </summary>
public sealed class OidcTests
{
    [Fact]
    public async Task The_code_flow_ends_in_a_session_whose_roles_come_from_the_groups_claim()
    {
        using var provider = OidcProvider.Start("alice", "lib-staff;cn=readers,ou=groups;unmapped");
        await using var server = await AuthTestServer.StartAsync(o => o with
        {
            Oidc = new OidcSettings { Authority = provider.Issuer, ClientId = "tessera-test", ClientSecret = "tessera-secret", Scopes = ["openid", "profile", "groups"] },
            Roles = new Dictionary<string, string> { ["lib-staff"] = "staff", ["cn=readers,ou=groups"] = "reader" },
        });
        provider.Register(new Uri(server.BaseAddress, "/auth/oidc/callback").ToString());
        var cookies = new CookieContainer();
        using var client = server.Client(cookies);

        // Tessera → provider (authorize) → interaction (login, consent) → provider → Tessera's callback → returnUrl.
        var hops = new List<string>();
        var next = new Uri(server.BaseAddress, "/auth/oidc/signin?returnUrl=%2Fauth%2Fme");
        HttpResponseMessage response;
        while (true)
        {
            hops.Add(next.GetLeftPart(UriPartial.Path));
            response = await client.GetAsync(next);
            if ((int)response.StatusCode is not (302 or 303))
            {
                break;
            }

            next = new Uri(next, response.Headers.Location!);
            response.Dispose();
            Assert.True(hops.Count < 20, "Too many redirects: " + string.Join(" → ", hops));
        }

        using (response)
        {
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{string.Join("\n", hops)}\n{provider.Output}");
        }

        Assert.Contains(hops, h => h.StartsWith(provider.Issuer + "/auth", StringComparison.Ordinal));
        Assert.Contains(hops, h => h.EndsWith("/auth/oidc/callback", StringComparison.Ordinal));
        Assert.Equal(new Uri(server.BaseAddress, "/auth/me").ToString(), hops[^1]);
        Assert.Contains(cookies.GetCookies(server.BaseAddress).Cast<Cookie>(), c => c.Name == AuthenticationSetup.CookieName && c.HttpOnly);

        var me = await AuthTestServer.MeAsync(client);
        Assert.Equal((true, "alice", "staff,reader", SignInMethods.Oidc), me);

        // The same cookie, without the provider: a session of Tessera's own.
        provider.Dispose();
        Assert.True((await AuthTestServer.MeAsync(client)).Authenticated);
    }

    [Fact]
    public async Task An_unreachable_provider_is_a_page_that_says_so_not_a_500()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var server = await AuthTestServer.StartAsync(o => o with
        {
            Oidc = new OidcSettings { Authority = $"http://127.0.0.1:{port}", ClientId = "tessera-test", ClientSecret = "x" },
        });
        using var client = server.Client();

        using var response = await client.GetAsync("/auth/oidc/signin");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("could not be reached", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>tests/Tessera.Server.Tests/Authentication/oidc-provider-server.mjs, run by node; its output read by two threads of its own.</summary>
    private sealed class OidcProvider : IDisposable
    {
        private readonly Process _process;
        private readonly System.Collections.Concurrent.BlockingCollection<string> _lines = [];
        private readonly System.Text.StringBuilder _output = new();
        private bool _disposed;

        private OidcProvider(Process process)
        {
            _process = process;
            Pump(process.StandardOutput, toLines: true);
            Pump(process.StandardError, toLines: false);
            var port = Next("port ");
            Issuer = $"http://127.0.0.1:{int.Parse(port[5..], System.Globalization.CultureInfo.InvariantCulture)}";
        }

        public string Issuer { get; }

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public static OidcProvider Start(string account, string groups)
        {
            var start = new ProcessStartInfo("node") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(Repository.PathOf("tests", "Tessera.Server.Tests", "Authentication", "oidc-provider-server.mjs"));
            start.ArgumentList.Add(account);
            start.ArgumentList.Add(groups);
            return new OidcProvider(Process.Start(start)!);
        }

        /// <summary>Registers Tessera's redirect URI and waits until the provider is ready.</summary>
        public void Register(string redirectUri)
        {
            _process.StandardInput.WriteLine(redirectUri);
            _process.StandardInput.Flush();
            Next("ready");
        }

        private string Next(string expected)
        {
            Assert.True(_lines.TryTake(out var line, TimeSpan.FromSeconds(30)) && line.StartsWith(expected, StringComparison.Ordinal), $"oidc-provider did not say {expected}: {line}\n{Output}");
            return line;
        }

        private void Pump(StreamReader reader, bool toLines)
        {
            var thread = new Thread(() =>
            {
                for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
                {
                    lock (_output)
                    {
                        _output.AppendLine(line);
                    }

                    if (toLines)
                    {
                        _lines.Add(line);
                    }
                }
            }) { IsBackground = true };
            thread.Start();
        }

        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }

            _process.Dispose();
            _lines.Dispose();
        }
    }
}
