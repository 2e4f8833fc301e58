using System.Net;
using Tessera.Server.Hosting;

namespace Tessera.Server.Authentication;

/// <summary>Every problem with the sign-in settings (<c>Users</c>, <c>Login</c>, <c>Oidc</c>, <c>TrustedProxy</c>, <c>Roles</c>), for <see cref="TesseraServerOptions.Validate"/>.</summary>
public static class AuthenticationValidation
{
    public static IEnumerable<string> Problems(TesseraServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (!string.IsNullOrEmpty(options.Users) && options.Users is { } users)
        {
            errors.AddRange(File.Exists(users)
                ? UsersFile.Read(users).Problems
                : [$"Expected an existing users file for Users (--users) but received \"{users}\" (tessera user add creates one)"]);
        }

        var login = options.Login;
        if (login.SessionMinutes is < 1 or > 525_600)
        {
            errors.Add($"Expected 1..525600 minutes for Login:SessionMinutes but received {login.SessionMinutes}");
        }

        if (login.AttemptsPerMinute is < 1 or > 10_000)
        {
            errors.Add($"Expected 1..10000 for Login:AttemptsPerMinute but received {login.AttemptsPerMinute}");
        }

        if (login.FailureDelayMilliseconds is < 0 or > 60_000)
        {
            errors.Add($"Expected 0..60000 ms for Login:FailureDelayMilliseconds but received {login.FailureDelayMilliseconds}");
        }

        if (!LoginSettings.TryParseSameSite(login.SameSite, out var sameSite))
        {
            errors.Add($"Expected Lax, Strict or None for Login:SameSite but received \"{login.SameSite}\"");
        }
        else if (sameSite == Microsoft.AspNetCore.Http.SameSiteMode.None && !options.TrustForwardedHeaders &&
            options.BaseUrl?.StartsWith("https:", StringComparison.OrdinalIgnoreCase) != true)
        {
            errors.Add("Expected an https BaseUrl (or TrustForwardedHeaders, TLS ended at a proxy) for Login:SameSite None, " +
                $"whose cookie browsers keep only as Secure, over https, but received BaseUrl \"{options.BaseUrl}\"");
        }

        var oidc = options.Oidc;
        if (oidc.Enabled)
        {
            if (!Uri.TryCreate(oidc.Authority, UriKind.Absolute, out var authority) || !(authority.Scheme == "https" || (authority.Scheme == "http" && IsLoopback(authority))))
            {
                errors.Add($"Expected an https URL (or http on 127.0.0.1, ::1 or localhost) for Oidc:Authority but received \"{oidc.Authority}\"");
            }

            if (string.IsNullOrWhiteSpace(oidc.ClientId))
            {
                errors.Add("Expected a client id for Oidc:ClientId (set with Oidc:Authority) but received nothing");
            }

            if (string.IsNullOrWhiteSpace(oidc.RolesClaim))
            {
                errors.Add("Expected a claim name for Oidc:RolesClaim but received nothing");
            }
        }
        else if (!string.IsNullOrWhiteSpace(oidc.ClientId) || !string.IsNullOrWhiteSpace(oidc.ClientSecret))
        {
            errors.Add("Expected Oidc:Authority with Oidc:ClientId and Oidc:ClientSecret but received no authority");
        }

        var proxy = options.TrustedProxy;
        if (proxy.Enabled)
        {
            var (_, problems) = ProxyAddresses.Parse(proxy.Addresses);
            errors.AddRange(problems);
            if (proxy.Addresses.Count == 0)
            {
                errors.Add($"Expected the proxy's addresses in TrustedProxy:Addresses (with TrustedProxy:Header \"{proxy.Header}\") but received none");
            }

            foreach (var header in new[] { proxy.Header, proxy.RolesHeader }.Where(h => !string.IsNullOrEmpty(h) && !IsHeaderName(h)))
            {
                errors.Add($"Expected a header name (letters, digits, - and _) for TrustedProxy:Header and TrustedProxy:RolesHeader but received \"{header}\"");
            }
        }
        else if (proxy.Addresses.Count > 0 || !string.IsNullOrWhiteSpace(proxy.RolesHeader))
        {
            errors.Add("Expected TrustedProxy:Header with TrustedProxy:Addresses and TrustedProxy:RolesHeader but received no header");
        }

        foreach (var (group, roles) in options.Roles)
        {
            var names = RoleMapping.Split(roles);
            if (names.Length == 0)
            {
                errors.Add($"Expected one or more role names for Roles:{group} but received \"{roles}\"");
            }

            errors.AddRange(names.Select(UsersFile.RoleProblem).OfType<string>().Select(p => $"Roles:{group}: {p}"));
        }

        return errors;
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private static bool IsHeaderName(string name) =>
        name.Length is > 0 and <= 100 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>Whether the authority is a loopback address, the only place http (no TLS) metadata is accepted.</summary>
    internal static bool IsLoopbackAuthority(string authority) =>
        Uri.TryCreate(authority, UriKind.Absolute, out var uri) && IsLoopback(uri);
}
