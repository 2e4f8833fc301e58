using Microsoft.AspNetCore.Http;

namespace Tessera.Server.Authentication;

/// <summary>
/// Decides whether a request's proxy header may be believed: only with <see cref="TrustedProxySettings.Header"/> set and
/// only on a connection from <see cref="TrustedProxySettings.Addresses"/> (Kestrel's own peer address; forwarded-for
/// headers are never consulted, as a client could write them).
/// </summary>
public sealed class TrustedProxy
{
    private readonly ProxyAddresses _addresses;

    public TrustedProxy(TrustedProxySettings settings)
    {
        Settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _addresses = ProxyAddresses.Parse(settings.Addresses).Addresses;
    }

    public TrustedProxySettings Settings { get; }

    /// <summary>Whether this connection comes from a trusted proxy (and a header is configured).</summary>
    public bool IsTrusted(HttpContext context) =>
        Settings.Enabled && _addresses.Contains(context?.Connection.RemoteIpAddress);

    /// <summary>The name the trusted proxy sent, or null (not trusted, no header, or an unusable name).</summary>
    public string? NameFrom(HttpContext context)
    {
        if (!IsTrusted(context))
        {
            return null;
        }

        var name = context.Request.Headers[Settings.Header!].ToString().Trim();
        return name.Length > 0 && UsersFile.NameProblem(name) is null ? name : null;
    }

    /// <summary>
    /// Removes the proxy's headers from a request that did not come from the proxy, so no later code (or log) can take a
    /// client's own <c>X-Remote-User</c> for the proxy's word.
    /// </summary>
    public void StripUntrusted(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!Settings.Enabled || IsTrusted(context))
        {
            return;
        }

        context.Request.Headers.Remove(Settings.Header!);
        if (!string.IsNullOrEmpty(Settings.RolesHeader) && Settings.RolesHeader is { } roles)
        {
            context.Request.Headers.Remove(roles);
        }
    }
}
