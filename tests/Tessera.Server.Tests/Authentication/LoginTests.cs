using System.Diagnostics;
using System.Net;
using Tessera.Server.Authentication;

namespace Tessera.Server.Tests.Authentication;

/// <summary>Tessera's login page through a real Kestrel: the users file, the cookie, failures, limits, sign-out.</summary>
public sealed class LoginTests
{
    private const string Password = "correct horse battery";

    private static async Task<(AuthTestServer Server, string UsersFile)> StartAsync(int attemptsPerMinute = 100)
    {
        var users = Path.Combine(Path.GetTempPath(), $"tessera-users-{Guid.NewGuid():N}.json");
        UsersFile.Write(users, [new TesseraUser("alice", ["staff", "reader"], UsersFile.HashPassword(Password)), new TesseraUser("bob", [], UsersFile.HashPassword("another password"))]);
        var server = await AuthTestServer.StartAsync(o => o with { Users = users, Login = o.Login with { AttemptsPerMinute = attemptsPerMinute } });
        return (server, users);
    }

    [Fact]
    public async Task A_right_password_sets_an_httponly_lax_cookie_and_me_names_the_user_with_roles()
    {
        var (server, users) = await StartAsync();
        await using var _ = server;
        using var client = server.Client();

        Assert.False((await AuthTestServer.MeAsync(client)).Authenticated);
        using var response = await AuthTestServer.LoginAsync(client, "ALICE", Password, "/view/x.jpg?a=1");

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/view/x.jpg?a=1", response.Headers.Location!.OriginalString);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(AuthenticationSetup.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
        var me = await AuthTestServer.MeAsync(client);
        Assert.Equal((true, "alice", "staff,reader", SignInMethods.Password), me);
        File.Delete(users);
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_name_get_the_same_slow_401_and_no_session()
    {
        var (server, users) = await StartAsync();
        await using var _ = server;
        using var client = server.Client();

        var watch = Stopwatch.StartNew();
        using var wrong = await AuthTestServer.LoginAsync(client, "alice", "not the password");
        var wrongTime = watch.Elapsed;
        watch.Restart();
        using var unknown = await AuthTestServer.LoginAsync(client, "nobody", "not the password");
        var unknownTime = watch.Elapsed;

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.InRange(wrongTime, TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(10));
        Assert.InRange(unknownTime, TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(10));
        string Normalised(string page, string name) => System.Text.RegularExpressions.Regex.Replace(page, "value=\"CfDJ8[^\"]*\"", "TOKEN").Replace(name, "NAME", StringComparison.Ordinal);
        var wrongPage = Normalised(await wrong.Content.ReadAsStringAsync(), "alice");
        Assert.Equal(wrongPage, Normalised(await unknown.Content.ReadAsStringAsync(), "nobody"));
        Assert.Contains("Wrong name or password.", wrongPage, StringComparison.Ordinal);
        Assert.False(wrong.Headers.TryGetValues("Set-Cookie", out var set) && set.Any(c => c.StartsWith(AuthenticationSetup.CookieName, StringComparison.Ordinal)));
        Assert.False((await AuthTestServer.MeAsync(client)).Authenticated);
        File.Delete(users);
    }

    [Fact]
    public async Task A_form_without_its_antiforgery_token_is_refused()
    {
        var (server, users) = await StartAsync();
        await using var _ = server;
        using var client = server.Client();

        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "alice", ["password"] = Password });
        using var response = await client.PostAsync("/auth/login", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False((await AuthTestServer.MeAsync(client)).Authenticated);
        File.Delete(users);
    }

    [Theory]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("https://evil.example/")]
    [InlineData("javascript:alert(1)")]
    public async Task A_return_url_off_the_server_goes_home_instead(string returnUrl)
    {
        var (server, users) = await StartAsync();
        await using var _ = server;
        using var client = server.Client();

        using var response = await AuthTestServer.LoginAsync(client, "alice", Password, returnUrl);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
        File.Delete(users);
    }

    [Fact]
    public async Task Too_many_attempts_from_one_address_get_429_with_retry_after_even_with_the_right_password()
    {
        var (server, users) = await StartAsync(attemptsPerMinute: 3);
        await using var _ = server;
        using var client = server.Client();

        for (var i = 0; i < 3; i++)
        {
            using var wrong = await AuthTestServer.LoginAsync(client, "alice", "guess " + i);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var limited = await AuthTestServer.LoginAsync(client, "alice", Password);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.InRange(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.False((await AuthTestServer.MeAsync(client)).Authenticated);
        File.Delete(users);
    }

    [Fact]
    public async Task Logout_ends_the_session_but_not_from_another_origin()
    {
        var (server, users) = await StartAsync();
        await using var _ = server;
        using var client = server.Client();
        using (await AuthTestServer.LoginAsync(client, "alice", Password))
        {
        }

        using (var crossSite = new HttpRequestMessage(HttpMethod.Post, "/auth/logout"))
        {
            crossSite.Headers.Add("Origin", "https://evil.example");
            using var refused = await client.SendAsync(crossSite);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        Assert.True((await AuthTestServer.MeAsync(client)).Authenticated);
        using (var sameSite = new HttpRequestMessage(HttpMethod.Post, "/auth/logout"))
        {
            sameSite.Headers.Add("Origin", server.BaseAddress.GetLeftPart(UriPartial.Authority));
            using var done = await client.SendAsync(sameSite);
            Assert.Equal(HttpStatusCode.SeeOther, done.StatusCode);
        }

        Assert.False((await AuthTestServer.MeAsync(client)).Authenticated);
        File.Delete(users);
    }

    [Fact]
    public async Task Removing_a_user_or_changing_their_password_ends_their_session_and_changed_roles_apply_at_once()
    {
        var (server, users) = await StartAsync();
        await using var _ = server;
        using var alice = server.Client();
        using var bob = server.Client();
        using (await AuthTestServer.LoginAsync(alice, "alice", Password))
        using (await AuthTestServer.LoginAsync(bob, "bob", "another password"))
        {
        }

        Assert.True((await AuthTestServer.MeAsync(bob)).Authenticated);
        var (current, _) = UsersFile.Read(users);
        UsersFile.Write(users, [current[0] with { Roles = ["admin"] }]);
        await Task.Delay(1100);

        Assert.Equal((true, "alice", "admin", SignInMethods.Password), await AuthTestServer.MeAsync(alice));
        Assert.False((await AuthTestServer.MeAsync(bob)).Authenticated);

        UsersFile.Write(users, [current[0] with { Hash = UsersFile.HashPassword("a new password") }]);
        await Task.Delay(1100);
        Assert.False((await AuthTestServer.MeAsync(alice)).Authenticated);
        File.Delete(users);
    }

    [Fact]
    public async Task The_login_page_is_public_styled_like_the_home_page_and_framed_by_no_one()
    {
        var (server, users) = await StartAsync();
        await using var _ = server;
        using var client = server.Client();

        using var response = await client.GetAsync("/auth/login");
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<form method=\"post\"", page, StringComparison.Ordinal);
        Assert.Contains("viewer/tessera.css", page, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        File.Delete(users);
    }
}
