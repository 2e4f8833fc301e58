namespace Tessera.Server.Authentication;

/// <summary>How a signed-in person proved who they are: the authentication type of their identity, and <c>via</c> in <c>/auth/me</c>.</summary>
public static class SignInMethods
{
    /// <summary>Name and password from the users file, on Tessera's login page.</summary>
    public const string Password = "password";

    /// <summary>The institution's OpenID Connect provider.</summary>
    public const string Oidc = "oidc";

    /// <summary>A header from a trusted reverse proxy.</summary>
    public const string Proxy = "proxy";
}
