using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Tessera.Server.Tests.Access;

/// <summary>
/// Test-only authentication: the header <c>X-Test-User</c> or the cookie <c>test-user</c> names the user and roles
/// (<c>alice:staff,admin</c>). It stands in for the real schemes (users file, OpenID Connect, proxy header), which set
/// the same <see cref="Microsoft.AspNetCore.Http.HttpContext.User"/>; the access code only reads it.
/// </summary>
public sealed class TestAuthHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Test";

    public const string Header = "X-Test-User";

    public const string Cookie = "test-user";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var value = Request.Headers[Header].ToString();
        if (value.Length == 0)
        {
            value = Uri.UnescapeDataString(Request.Cookies[Cookie] ?? string.Empty);
        }

        if (value.Length == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var parts = value.Split(':', 2);
        var claims = new List<Claim> { new(ClaimTypes.Name, parts[0]) };
        if (parts.Length == 2)
        {
            claims.AddRange(parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(r => new Claim(ClaimTypes.Role, r)));
        }

        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName)));
    }
}
