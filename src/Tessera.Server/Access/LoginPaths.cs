namespace Tessera.Server.Access;

/// <summary>
/// The paths of Tessera's sign-in routes (src/Tessera.Server/Authentication), named once so that access control can send
/// people to the login page (the IIIF access service) without knowing how they sign in. Policy-free: it says where,
/// never who may.
/// </summary>
public static class LoginPaths
{
    /// <summary><c>GET</c>: Tessera's login page (password form, and the identity provider's button when configured); <c>POST</c>: the form.</summary>
    public const string Login = "/auth/login";

    /// <summary><c>POST</c>: ends the session (the cookie); <c>GET</c> shows a page with the button.</summary>
    public const string Logout = "/auth/logout";

    /// <summary><c>GET</c>: starts OpenID Connect sign-in at the identity provider (takes <c>returnUrl</c> too).</summary>
    public const string OidcSignIn = "/auth/oidc/signin";

    /// <summary>Where the identity provider sends the browser back with the code (register it as the redirect URI).</summary>
    public const string OidcCallback = "/auth/oidc/callback";

    /// <summary><c>GET</c>: who the request is, as JSON: <c>{"authenticated", "name", "roles", "via"}</c>.</summary>
    public const string Me = "/auth/me";

    /// <summary>The query parameter that carries where to go after signing in; only local paths are honoured.</summary>
    public const string ReturnUrlParameter = "returnUrl";

    /// <summary>The login page that returns to <paramref name="returnUrl"/> (a local path such as <c>/iiif/auth/close</c>) after signing in.</summary>
    public static string LoginUrl(string? returnUrl) =>
        string.IsNullOrEmpty(returnUrl) ? Login : $"{Login}?{ReturnUrlParameter}={Uri.EscapeDataString(returnUrl)}";

    /// <summary>
    /// Whether <paramref name="url"/> stays on this server: a path starting with one <c>/</c> (not <c>//</c> or <c>/\</c>,
    /// which browsers read as another host), without control characters. Anything else is an open redirect.
    /// </summary>
    public static bool IsLocal(string? url) =>
        url is { Length: > 0 } && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Any(char.IsControl);
}
