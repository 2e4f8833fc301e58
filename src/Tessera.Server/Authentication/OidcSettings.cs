namespace Tessera.Server.Authentication;

/// <summary>
/// Sign-in through the institution's OpenID Connect provider (Keycloak, Entra ID, Okta, Shibboleth's OIDC), authorization
/// code flow with PKCE: settings key <c>Oidc</c>. Off while <see cref="Authority"/> is unset.
/// </summary>
public sealed record OidcSettings
{
    /// <summary>The issuer URL, e.g. <c>https://login.example.org/realms/library</c> (its discovery document is read from it). https, or http on a loopback address.</summary>
    public string? Authority { get; init; }

    /// <summary>Tessera's client id at the provider.</summary>
    public string? ClientId { get; init; }

    /// <summary>Tessera's client secret (sent in the token request's body: <c>client_secret_post</c>).</summary>
    public string? ClientSecret { get; init; }

    /// <summary>The claim (in the ID token or from the userinfo endpoint) whose values are the person's groups; mapped through <c>Roles</c>.</summary>
    public string RolesClaim { get; init; } = "groups";

    /// <summary>Scopes asked for. Empty: <c>openid profile</c>. Add the one that releases <see cref="RolesClaim"/> if the provider needs one.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>The provider's name on the login page's button ("Sign in with ...").</summary>
    public string DisplayName { get; init; } = "your institution's account";

    /// <summary>Whether OpenID Connect is configured at all.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);

    /// <summary>The scopes sent: <see cref="Scopes"/>, or <c>openid profile</c>, always with <c>openid</c>.</summary>
    public IReadOnlyList<string> EffectiveScopes =>
        Scopes.Count == 0 ? ["openid", "profile"] : [.. Scopes.Prepend("openid").Distinct(StringComparer.Ordinal)];
}
