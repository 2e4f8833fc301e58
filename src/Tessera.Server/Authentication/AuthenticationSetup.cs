using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.Server.Http;

namespace Tessera.Server.Authentication;

/// <summary>
/// Who a request is: the one registration for sign-in. Every request's <c>HttpContext.User</c> comes from exactly one
/// place: a trusted proxy's header when the connection is from the proxy and the header is there, else the session
/// cookie (made by the login page or by OpenID Connect), else nobody. Access rules read <c>User</c> and nothing else:
/// the name (<see cref="ClaimTypes.Name"/>), the roles (<see cref="ClaimTypes.Role"/>), <c>IsAuthenticated</c>.
/// </summary>
public static partial class AuthenticationSetup
{
    /// <summary>The default scheme: picks the proxy or the cookie for each request.</summary>
    public const string Scheme = "Tessera";

    /// <summary>The session cookie's scheme (password and OpenID Connect sign-ins both end in it).</summary>
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;

    /// <summary>The OpenID Connect scheme, registered when <c>Oidc:Authority</c> is set.</summary>
    public const string OidcScheme = OpenIdConnectDefaults.AuthenticationScheme;

    /// <summary>The session cookie's name.</summary>
    public const string CookieName = "tessera.session";

    // The key of IApplicationBuilder.Properties by which UseAuthentication tells WebApplication not to add it again.
    private const string AuthenticationPlacedKey = "__AuthenticationMiddlewareSet";

    // A claim that changes when the user's password hash changes, so `tessera user add --replace` ends old sessions.
    internal const string StampClaim = "tessera/stamp";

    public static IServiceCollection AddTesseraAuthentication(this IServiceCollection services, TesseraServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var proxy = new TrustedProxy(options.TrustedProxy);
        services.AddSingleton(proxy);
        services.AddSingleton(new RoleMapping(options.Roles));
        services.AddSingleton(provider => new UserStore(string.IsNullOrEmpty(options.Users) ? null : options.Users, provider.GetRequiredService<ILogger<UserStore>>()));
        services.AddSingleton(_ => new LoginThrottle(options.Login));
        var secure = options.BaseUrl?.StartsWith("https:", StringComparison.OrdinalIgnoreCase) == true ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "tessera.antiforgery";
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.SecurePolicy = secure;
            antiforgery.FormFieldName = "__antiforgery";
        });

        var dataProtection = services.AddDataProtection().SetApplicationName("Tessera");
        if (!string.IsNullOrWhiteSpace(options.Login.KeysDirectory) && options.Login.KeysDirectory is { } keys)
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(keys));
        }

        var builder = services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Tessera", policy =>
            {
                policy.ForwardDefaultSelector = context => proxy.NameFrom(context) is not null ? TrustedProxyHandler.SchemeName : CookieScheme;
                policy.ForwardChallenge = CookieScheme;
                policy.ForwardForbid = CookieScheme;
                policy.ForwardSignIn = CookieScheme;
                policy.ForwardSignOut = CookieScheme;
            })
            .AddScheme<TrustedProxyHandler.ProxyOptions, TrustedProxyHandler>(TrustedProxyHandler.SchemeName, null)
            .AddCookie(CookieScheme, cookie =>
            {
                cookie.Cookie.Name = CookieName;
                cookie.Cookie.HttpOnly = true;
                // Validated at start; None goes with Secure, or browsers drop the cookie.
                cookie.Cookie.SameSite = LoginSettings.TryParseSameSite(options.Login.SameSite, out var sameSite) ? sameSite : SameSiteMode.Lax;
                cookie.Cookie.SecurePolicy = sameSite == SameSiteMode.None ? CookieSecurePolicy.Always : secure;
                cookie.ExpireTimeSpan = TimeSpan.FromMinutes(options.Login.SessionMinutes);
                cookie.SlidingExpiration = true;
                cookie.LoginPath = LoginPaths.Login;
                cookie.LogoutPath = LoginPaths.Logout;
                cookie.ReturnUrlParameter = LoginPaths.ReturnUrlParameter;
                cookie.Events.OnRedirectToLogin = context => Challenge(context, StatusCodes.Status401Unauthorized);
                cookie.Events.OnRedirectToAccessDenied = context => Challenge(context, StatusCodes.Status403Forbidden);
                cookie.Events.OnValidatePrincipal = ValidatePasswordSession;
            });

        if (options.Oidc.Enabled)
        {
            builder.AddOpenIdConnect(OidcScheme, oidc => ConfigureOidc(oidc, options, secure));
        }

        if (!IsNeeded(options))
        {
            // Data protection's hosted service reads the key ring at start (writing a key under ~/.aspnet the first
            // time), which loads its XML and crypto code: about 8 MB of a server nobody can sign in to. The login page,
            // the only user of a key then, makes the ring on first use.
            var warmUp = services.FirstOrDefault(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name == "DataProtectionHostedService");
            if (warmUp is not null)
            {
                services.Remove(warmUp);
            }
        }

        return services;
    }

    /// <summary>Whether anyone can sign in or anything asks who is signed in (users file, OIDC, trusted proxy or access rules).</summary>
    private static bool IsNeeded(TesseraServerOptions options) =>
        !string.IsNullOrEmpty(options.Users) || !string.IsNullOrEmpty(options.Oidc.Authority) || !string.IsNullOrEmpty(options.TrustedProxy.Header) || options.Access is not null;

    /// <summary>The start-up warning of a server where people sign in with no <c>Login:KeysDirectory</c>.</summary>
    internal const string NoKeysDirectoryWarning =
        "Sign-in is on (Users or Oidc:Authority) but Login:KeysDirectory is not set: the keys that encrypt session cookies "
        + "are kept in ASP.NET Core's default place (~/.aspnet/DataProtection-Keys, or memory when that cannot be written), "
        + "so sessions end when the server restarts and servers behind one load balancer refuse each other's. Set "
        + "Login:KeysDirectory (Tessera__Login__KeysDirectory) to a persistent folder every server shares (docs/deploy.md).";

    /// <summary>
    /// Establishes <c>HttpContext.User</c> for every later middleware and endpoint; strips a proxy header that did not
    /// come from the proxy. Reads the users file now, so a bad one stops the start.
    /// </summary>
    public static WebApplication UseTesseraAuthentication(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Services.GetRequiredService<UserStore>();
        var options = app.Services.GetRequiredService<TesseraServerOptions>();
        if ((!string.IsNullOrEmpty(options.Users) || options.Oidc.Enabled) && string.IsNullOrWhiteSpace(options.Login.KeysDirectory))
        {
            // Said once, at start: the default key folder is inside the container or the user's home, so the failure it
            // causes (sessions lost at every restart, or refused by the other replicas) would show only later, as logins.
            app.Services.GetRequiredService<StartupWarnings>().Warn(NoKeysDirectoryWarning);
        }

        if (!IsNeeded(options))
        {
            // Nobody can sign in and nothing asks who is signed in: every request (a stored tile among thousands a
            // second) is spared the authentication middleware; /auth/me answers anonymous. WebApplication adds that
            // middleware by itself whenever authentication's services are registered, unless the application says it
            // has placed it (the key UseAuthentication sets): left to itself it cost a stored tile about 10 µs of CPU
            // (81-85 against 91-99 µs a request, docs/performance.md).
            ((IApplicationBuilder)app).Properties[AuthenticationPlacedKey] = true;
            return app;
        }

        var proxy = app.Services.GetRequiredService<TrustedProxy>();
        app.Use((context, next) =>
        {
            proxy.StripUntrusted(context);
            return next(context);
        });
        app.UseAuthentication();
        return app;
    }

    /// <summary>A challenge sends a browser asking for a page to the login page, and answers anything else (images, JSON, scripts) with the status.</summary>
    private static Task Challenge(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        var wantsPage = context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
        if (status == StatusCodes.Status401Unauthorized && wantsPage && HttpMethods.IsGet(context.Request.Method))
        {
            var here = context.Request.PathBase + context.Request.Path + context.Request.QueryString;
            context.Response.Redirect(context.Request.PathBase + LoginPaths.LoginUrl(here));
        }
        else
        {
            context.Response.StatusCode = status;
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// A password session lasts only while its user is in the users file with the same password: removing someone or
    /// changing their password ends their sessions at their next request; changed roles apply at once.
    /// </summary>
    private static async Task ValidatePasswordSession(CookieValidatePrincipalContext context)
    {
        if (context.Principal?.Identity is not { AuthenticationType: SignInMethods.Password, Name: { } name })
        {
            return;
        }

        var user = context.HttpContext.RequestServices.GetRequiredService<UserStore>().Find(name);
        if (user is null || context.Principal.FindFirst(StampClaim)?.Value != Stamp(user))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieScheme);
            return;
        }

        var roles = context.Principal.FindAll(ClaimTypes.Role).Select(c => c.Value);
        if (!roles.SequenceEqual(user.Roles, StringComparer.Ordinal))
        {
            context.ReplacePrincipal(PasswordPrincipal(user));
            context.ShouldRenew = true;
        }
    }

    /// <summary>The principal of someone who signed in with the users file's password.</summary>
    internal static ClaimsPrincipal PasswordPrincipal(TesseraUser user)
    {
        var principal = RoleMapping.Principal(user.Name, user.Roles, SignInMethods.Password);
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(StampClaim, Stamp(user)));
        return principal;
    }

    // Not the hash: a short digest of it, so the cookie (encrypted anyway) carries nothing that helps crack the password.
    private static string Stamp(TesseraUser user) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(user.Hash)).AsSpan(0, 8));

    private static void ConfigureOidc(OpenIdConnectOptions oidc, TesseraServerOptions options, CookieSecurePolicy secure)
    {
        var settings = options.Oidc;
        oidc.Authority = settings.Authority;
        oidc.ClientId = settings.ClientId;
        oidc.ClientSecret = settings.ClientSecret;
        oidc.RequireHttpsMetadata = !AuthenticationValidation.IsLoopbackAuthority(settings.Authority!);
        oidc.ResponseType = OpenIdConnectResponseType.Code;

        // The code comes back in the query, so the correlation and nonce cookies can be SameSite=Lax (a form_post
        // response would need SameSite=None, which browsers refuse without https).
        oidc.ResponseMode = OpenIdConnectResponseMode.Query;
        oidc.UsePkce = true;
        oidc.CallbackPath = LoginPaths.OidcCallback;
        oidc.SignedOutCallbackPath = "/auth/oidc/signed-out";
        oidc.RemoteSignOutPath = "/auth/oidc/remote-signout";
        oidc.SignInScheme = CookieScheme;
        oidc.SaveTokens = false;
        oidc.GetClaimsFromUserInfoEndpoint = true;
        oidc.MapInboundClaims = false;
        oidc.CorrelationCookie.SameSite = SameSiteMode.Lax;
        oidc.CorrelationCookie.SecurePolicy = secure;
        oidc.NonceCookie.SameSite = SameSiteMode.Lax;
        oidc.NonceCookie.SecurePolicy = secure;
        oidc.Scope.Clear();
        foreach (var scope in settings.EffectiveScopes)
        {
            oidc.Scope.Add(scope);
        }

        oidc.ClaimActions.MapUniqueJsonKey("preferred_username", "preferred_username");
        oidc.ClaimActions.MapJsonKey(settings.RolesClaim, settings.RolesClaim);
        oidc.Events.OnRedirectToIdentityProvider = context =>
        {
            // Behind a proxy the request's own scheme and host are the proxy's view; the public URL is what the provider knows.
            var urls = context.HttpContext.RequestServices.GetRequiredService<PublicUrls>();
            context.ProtocolMessage.RedirectUri = urls.BaseUrl(context.Request) + LoginPaths.OidcCallback;
            return Task.CompletedTask;
        };
        oidc.Events.OnTicketReceived = context =>
        {
            var mapping = context.HttpContext.RequestServices.GetRequiredService<RoleMapping>();
            context.Principal = OidcPrincipal(context.Principal!, settings.RolesClaim, mapping);
            return Task.CompletedTask;
        };
        oidc.Events.OnRemoteFailure = async context =>
        {
            context.HandleResponse();
            var logger = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Tessera.Server.Authentication");
            OidcFailed(logger, context.Failure?.Message ?? "unknown");
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.ContentType = "text/html; charset=utf-8";
            context.Response.Headers.CacheControl = "no-store";
            await context.Response.WriteAsync(LoginPage.Problem(context.HttpContext, "Sign-in failed", $"Signing in with {settings.DisplayName} did not succeed ({context.Failure?.Message ?? "no reason given"})."));
        };
    }

    /// <summary>
    /// Tessera's principal from what the provider said: the name from <c>preferred_username</c>, <c>email</c>, <c>name</c>
    /// or <c>sub</c> (the first present), the roles from the roles claim's values (one group each; a DN's commas are kept) through <see cref="RoleMapping"/>.
    /// </summary>
    internal static ClaimsPrincipal OidcPrincipal(ClaimsPrincipal provider, string rolesClaim, RoleMapping mapping)
    {
        var name = new[] { "preferred_username", "email", "name", "sub" }
            .Select(type => provider.FindFirst(type)?.Value)
            .FirstOrDefault(value => !string.IsNullOrWhiteSpace(value)) ?? "unknown";
        var groups = provider.FindAll(rolesClaim).Select(c => c.Value);
        return RoleMapping.Principal(name, mapping.Map(groups), SignInMethods.Oidc);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "OpenID Connect sign-in failed: {Reason}")]
    private static partial void OidcFailed(ILogger logger, string reason);
}
