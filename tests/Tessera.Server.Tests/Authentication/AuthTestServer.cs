using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Authentication;
using Tessera.Server.Hosting;

namespace Tessera.Server.Tests.Authentication;

/// <summary>A real Kestrel on 127.0.0.1 with sign-in settings of the test's choosing, and clients that keep cookies.</summary>
public sealed partial class AuthTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AuthTestServer(WebApplication app, string root, Uri baseAddress)
    {
        _app = app;
        Root = root;
        BaseAddress = baseAddress;
    }

    public string Root { get; }

    public Uri BaseAddress { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a server; <paramref name="configure"/> gets options whose Root is a fresh empty folder.</summary>
    public static async Task<AuthTestServer> StartAsync(Func<TesseraServerOptions, TesseraServerOptions> configure, string url = "http://127.0.0.1:0")
    {
        var root = Directory.CreateTempSubdirectory("tessera-auth-").FullName;
        var options = configure(new TesseraServerOptions { Root = root, Cache = CacheMode.None, Login = new LoginSettings { FailureDelayMilliseconds = 300 } });
        var app = TesseraServer.Build(options, [url]);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new AuthTestServer(app, root, new Uri(address));
    }

    /// <summary>A client with its own cookie jar that does not follow redirects; <paramref name="from"/> picks its local address.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2000", Justification = "Owner of the handler: the HttpClient returned, which disposes it.")]
    public HttpClient Client(CookieContainer? cookies = null, IPAddress? from = null)
    {
        var handler = new SocketsHttpHandler { CookieContainer = cookies ?? new CookieContainer(), AllowAutoRedirect = false, UseCookies = true };
        if (from is not null)
        {
            handler.ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(from, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }

        return new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Opens the login page and posts its form: the response to the post.</summary>
    public static async Task<HttpResponseMessage> LoginAsync(HttpClient client, string name, string password, string returnUrl = "/")
    {
        var page = await client.GetStringAsync($"/auth/login?returnUrl={Uri.EscapeDataString(returnUrl)}");
        var token = TokenField().Match(page);
        Assert.True(token.Success, "The login page has no antiforgery field: " + page);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = name,
            ["password"] = password,
            ["returnUrl"] = returnUrl,
            [token.Groups[1].Value] = WebUtility.HtmlDecode(token.Groups[2].Value),
        });
        return await client.PostAsync("/auth/login", form);
    }

    /// <summary><c>/auth/me</c>: whether signed in, the name, the roles (comma-separated), how.</summary>
    public static async Task<(bool Authenticated, string? Name, string Roles, string? Via)> MeAsync(HttpClient client)
    {
        using var document = JsonDocument.Parse(await client.GetStringAsync("/auth/me"));
        var root = document.RootElement;
        return (
            root.GetProperty("authenticated").GetBoolean(),
            root.GetProperty("name").GetString(),
            string.Join(",", root.GetProperty("roles").EnumerateArray().Select(r => r.GetString())),
            root.GetProperty("via").GetString());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"(__antiforgery)\" value=\"([^\"]+)\">")]
    private static partial Regex TokenField();
}
