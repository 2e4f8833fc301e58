using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Tessera.Server.Authentication;

/// <summary>
/// The person a trusted reverse proxy names in <see cref="TrustedProxySettings.Header"/>. Runs only for connections the
/// selector (<see cref="AuthenticationSetup"/>) found to come from <see cref="TrustedProxySettings.Addresses"/>; it checks
/// the address again, so a misrouted call can never trust a client's header.
/// </summary>
internal sealed class TrustedProxyHandler(
    IOptionsMonitor<TrustedProxyHandler.ProxyOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    TrustedProxy proxy,
    RoleMapping roles)
    : AuthenticationHandler<TrustedProxyHandler.ProxyOptions>(options, logger, encoder)
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "TrustedProxy";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (proxy.NameFrom(Context) is not { } name)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var groups = !string.IsNullOrEmpty(proxy.Settings.RolesHeader) && proxy.Settings.RolesHeader is { } header ? RoleMapping.SplitGroups(Request.Headers[header].ToString()) : [];
        var principal = RoleMapping.Principal(name, roles.Map(groups), SignInMethods.Proxy);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    /// <summary>No options of its own: everything is in <see cref="TrustedProxySettings"/>.</summary>
    internal sealed class ProxyOptions : AuthenticationSchemeOptions;
}
