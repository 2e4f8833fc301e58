using System.Net;
using Tessera.Server.Authentication;

namespace Tessera.Server.Tests.Authentication;

/// <summary>The trusted reverse-proxy header through a real Kestrel: believed from the proxy's address, ignored from any other.</summary>
public sealed class TrustedProxyTests
{
    private static readonly IPAddress Other = IPAddress.Parse("127.0.0.2");

    private static Task<AuthTestServer> StartAsync(string trusted) => AuthTestServer.StartAsync(o => o with
    {
        TrustedProxy = new TrustedProxySettings { Header = "X-Remote-User", Addresses = [trusted], RolesHeader = "X-Remote-Groups" },
        Roles = new Dictionary<string, string> { ["lib-staff"] = "staff", ["cn=readers,ou=groups"] = "reader, viewer" },
    });

    private static async Task<(bool, string?, string, string?)> MeAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/auth/me");
        request.Headers.Add("X-Remote-User", "carol");
        request.Headers.Add("X-Remote-Groups", "lib-staff;cn=readers,ou=groups;admins");
        using var response = await client.SendAsync(request);
        using var document = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;
        return (root.GetProperty("authenticated").GetBoolean(), root.GetProperty("name").GetString(), string.Join(",", root.GetProperty("roles").EnumerateArray().Select(r => r.GetString())), root.GetProperty("via").GetString());
    }

    [Fact]
    public async Task The_header_from_the_proxy_address_signs_in_with_mapped_roles_only()
    {
        await using var server = await StartAsync("127.0.0.1/32");
        using var client = server.Client();

        var me = await MeAsync(client);

        // The ';' list keeps the DN's commas; "admins" is not in the map: no role.
        Assert.Equal((true, "carol", "staff,reader,viewer", SignInMethods.Proxy), me);
    }

    [Fact]
    public async Task The_same_header_from_another_address_is_ignored()
    {
        await using var server = await StartAsync("127.0.0.1/32");
        using var client = server.Client(from: Other);

        var me = await MeAsync(client);

        Assert.Equal((false, null, "", null), me);
    }

    [Fact]
    public async Task The_header_is_ignored_from_everyone_when_the_range_excludes_them()
    {
        await using var server = await StartAsync("10.0.0.0/8");
        using var client = server.Client();

        Assert.False((await MeAsync(client)).Item1);
    }
}
