using System.Security.Claims;
using Tessera.Server.Access;

namespace Tessera.Server.Tests.Access;

/// <summary>The token store alone: expiry, origin binding, revocation, the bound on what it holds.</summary>
public sealed class AccessTokensTests
{
    private const string Origin = "https://viewer.example";
    private const string Own = "https://images.example";

    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static ClaimsPrincipal User(string name, params string[] roles) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), .. roles.Select(r => new Claim(ClaimTypes.Role, r))], "test"));

    [Fact]
    public void A_token_stands_for_its_user_and_roles_until_it_expires()
    {
        var clock = new Clock();
        var tokens = new AccessTokens(null, TimeSpan.FromSeconds(300), time: clock);
        var token = tokens.Issue(User("ann", "staff"), Origin);
        var user = tokens.Validate(token, Origin, Own);
        Assert.Equal("ann", user!.Identity!.Name);
        Assert.True(user.IsInRole("staff"));

        clock.Now += TimeSpan.FromSeconds(299);
        Assert.NotNull(tokens.Validate(token, Origin, Own));
        clock.Now += TimeSpan.FromSeconds(1);
        Assert.Null(tokens.Validate(token, Origin, Own));
    }

    [Fact]
    public void A_token_is_refused_from_another_origin_and_without_one_unless_bound_to_the_servers_own()
    {
        var tokens = new AccessTokens(null, TimeSpan.FromMinutes(5));
        var token = tokens.Issue(User("ann"), Origin);
        Assert.Null(tokens.Validate(token, "https://evil.example", Own));
        Assert.Null(tokens.Validate(token, null, Own));
        var own = tokens.Issue(User("ann"), Own);
        Assert.NotNull(tokens.Validate(own, null, Own));
    }

    [Fact]
    public void A_token_signed_with_another_key_is_refused()
    {
        var key = new byte[32];
        var issuer = new AccessTokens(key, TimeSpan.FromMinutes(5));
        var token = issuer.Issue(User("ann"), Origin);
        var other = new AccessTokens(Enumerable.Repeat((byte)1, 32).ToArray(), TimeSpan.FromMinutes(5));
        Assert.Null(other.Validate(token, Origin, Own));
        Assert.Throws<ArgumentException>(() => new AccessTokens(new byte[16], TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void The_store_stays_within_its_capacity_dropping_the_tokens_closest_to_expiry()
    {
        var clock = new Clock();
        var tokens = new AccessTokens(null, TimeSpan.FromMinutes(5), capacity: 100, time: clock);
        var first = tokens.Issue(User("u0"), Origin);
        for (var i = 1; i < 1000; i++)
        {
            clock.Now += TimeSpan.FromMilliseconds(10);
            tokens.Issue(User("u" + i), Origin);
        }

        Assert.True(tokens.Count <= 100, $"{tokens.Count} tokens held");
        Assert.Null(tokens.Validate(first, Origin, Own));
    }

    [Fact]
    public void Revoking_one_token_or_a_users_tokens()
    {
        var tokens = new AccessTokens(null, TimeSpan.FromMinutes(5));
        var a = tokens.Issue(User("ann"), Origin);
        var b = tokens.Issue(User("ann"), Origin);
        var c = tokens.Issue(User("ben"), Origin);
        Assert.True(tokens.Revoke(a));
        Assert.Null(tokens.Validate(a, Origin, Own));
        Assert.Equal(1, tokens.RevokeUser("ann"));
        Assert.Null(tokens.Validate(b, Origin, Own));
        Assert.NotNull(tokens.Validate(c, Origin, Own));
    }
}
