namespace Tessera.Server.Authentication;

/// <summary>
/// A reverse proxy that authenticates people itself (Apache's mod_auth_*, Shibboleth SP, oauth2-proxy) and passes the
/// name in a header: settings key <c>TrustedProxy</c>. The header is believed only on connections from
/// <see cref="Addresses"/>; from anywhere else it is removed before anything reads it.
/// </summary>
public sealed record TrustedProxySettings
{
    /// <summary>The header carrying the signed-in name, e.g. <c>X-Remote-User</c> (or <c>REMOTE_USER</c>). Unset: off.</summary>
    public string? Header { get; init; }

    /// <summary>The proxies' addresses or ranges, e.g. <c>["10.0.0.5", "10.1.0.0/16", "::1"]</c>. Required with <see cref="Header"/>.</summary>
    public IReadOnlyList<string> Addresses { get; init; } = [];

    /// <summary>A header carrying the person's groups, separated by commas or semicolons; mapped through <c>Roles</c>. Unset: no roles.</summary>
    public string? RolesHeader { get; init; }

    /// <summary>Whether a proxy header is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Header);
}
