using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.Server.Http;

namespace Tessera.Server.Authentication;

/// <summary>
/// The sign-in routes (<see cref="LoginPaths"/>): Tessera's login page and its form, sign-out, OpenID Connect's start,
/// and <c>/auth/me</c>. The form is CSRF-safe (an antiforgery token in a SameSite=Strict cookie and the form), limited
/// per client address (<see cref="LoginThrottle"/>), and a failure is answered after a fixed delay with the same page
/// whether the name exists or not.
/// </summary>
public static partial class LoginEndpoints
{
    private const string WrongCredentials = "Wrong name or password.";

    public static IEndpointRouteBuilder MapLogin(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(LoginPaths.Login, LoginForm);
        endpoints.MapPost(LoginPaths.Login, SignIn).DisableAntiforgery();
        endpoints.MapGet(LoginPaths.Logout, LogoutForm);
        endpoints.MapPost(LoginPaths.Logout, SignOut).DisableAntiforgery();
        endpoints.MapGet(LoginPaths.OidcSignIn, OidcSignIn);
        endpoints.MapGet(LoginPaths.Me, Me);
        return endpoints;
    }

    private static IResult LoginForm(HttpContext context, IAntiforgery antiforgery, UserStore users, TesseraServerOptions options, string? returnUrl) =>
        Page(context, StatusCodes.Status200OK, Model(context, antiforgery, users, options, Local(returnUrl)));

    private static async Task<IResult> SignIn(HttpContext context, IAntiforgery antiforgery, UserStore users, TesseraServerOptions options, LoginThrottle throttle)
    {
        var started = Stopwatch.GetTimestamp();
        var logger = Logger(context);
        if (throttle.Refuse(context.Connection.RemoteIpAddress) is { } wait)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return Html(context, StatusCodes.Status429TooManyRequests, LoginPage.Problem(context, "Too many attempts", $"Too many sign-in attempts from this address; try again in {Math.Ceiling(wait.TotalSeconds)} seconds."));
        }

        if (!context.Request.HasFormContentType)
        {
            return Html(context, StatusCodes.Status400BadRequest, LoginPage.Problem(context, "Sign in", "Expected the login form (application/x-www-form-urlencoded) but received something else."));
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var returnUrl = Local(form["returnUrl"]);
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Html(context, StatusCodes.Status400BadRequest, LoginPage.Problem(context, "Sign in", "The form has expired or came from another site: open the login page again."));
        }

        var name = form["name"].ToString().Trim();
        var user = users.Enabled ? users.Verify(name, form["password"]) : null;
        if (user is null)
        {
            Failed(logger, context.Connection.RemoteIpAddress);
            var remaining = TimeSpan.FromMilliseconds(options.Login.FailureDelayMilliseconds) - Stopwatch.GetElapsedTime(started);
            if (remaining > TimeSpan.Zero)
            {
                await Task.Delay(remaining, context.RequestAborted);
            }

            return Page(context, StatusCodes.Status401Unauthorized, Model(context, antiforgery, users, options, returnUrl) with { Message = WrongCredentials, Name = name });
        }

        await context.SignInAsync(AuthenticationSetup.CookieScheme, AuthenticationSetup.PasswordPrincipal(user), new AuthenticationProperties { IsPersistent = false });
        SignedIn(logger, user.Name, context.Connection.RemoteIpAddress);
        return SeeOther(context, returnUrl);
    }

    private static IResult LogoutForm(HttpContext context, string? returnUrl) =>
        Html(context, StatusCodes.Status200OK, LoginPage.Logout(context, context.User.Identity?.IsAuthenticated == true ? context.User.Identity.Name : null, Local(returnUrl)));

    /// <summary>
    /// Ends the session. Only from this site's own pages: a browser's <c>Origin</c> (or <c>Sec-Fetch-Site</c>) must say
    /// so, and the session cookie is SameSite=Lax, which browsers never send on another site's POST anyway.
    /// </summary>
    private static async Task<IResult> SignOut(HttpContext context, PublicUrls urls)
    {
        if (!SameOrigin(context, urls))
        {
            return Html(context, StatusCodes.Status403Forbidden, LoginPage.Problem(context, "Sign out", "Expected a sign-out from this site's own pages but received one from another site."));
        }

        var returnUrl = context.Request.HasFormContentType ? Local((await context.Request.ReadFormAsync(context.RequestAborted))["returnUrl"]) : Local(context.Request.Query["returnUrl"]);
        await context.SignOutAsync(AuthenticationSetup.CookieScheme);
        return SeeOther(context, returnUrl);
    }

    private static async Task<IResult> OidcSignIn(HttpContext context, TesseraServerOptions options, string? returnUrl)
    {
        if (!options.Oidc.Enabled)
        {
            return Html(context, StatusCodes.Status404NotFound, LoginPage.Problem(context, "Sign in", "This server has no identity provider configured (Oidc:Authority)."));
        }

        try
        {
            await context.ChallengeAsync(AuthenticationSetup.OidcScheme, new AuthenticationProperties { RedirectUri = Local(returnUrl) });
            return Results.Empty;
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or IOException)
        {
            // The provider's discovery document could not be read: a page that says so, not a 500.
            OidcUnreachable(Logger(context), options.Oidc.Authority!, e.Message);
            return Html(context, StatusCodes.Status502BadGateway, LoginPage.Problem(context, "Sign in", $"{options.Oidc.DisplayName} could not be reached; try again later."));
        }
    }

    private static IResult Me(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        var identity = context.User.Identity;
        var authenticated = identity?.IsAuthenticated == true;
        return Results.Json(new
        {
            authenticated,
            name = authenticated ? identity!.Name : null,
            roles = authenticated ? context.User.FindAll(ClaimTypes.Role).Select(c => c.Value).ToArray() : [],
            via = authenticated ? identity!.AuthenticationType : null,
        });
    }

    private static LoginPageModel Model(HttpContext context, IAntiforgery antiforgery, UserStore users, TesseraServerOptions options, string returnUrl)
    {
        (string, string)? form = null;
        if (users.Enabled)
        {
            var tokens = antiforgery.GetAndStoreTokens(context);
            form = (tokens.FormFieldName, tokens.RequestToken!);
        }

        var signedIn = context.User.Identity?.IsAuthenticated == true ? context.User.Identity.Name : null;
        return new LoginPageModel(returnUrl, form, options.Oidc.Enabled ? options.Oidc.DisplayName : null, signedIn);
    }

    /// <summary><paramref name="returnUrl"/> when it stays on this server, else the home page: never an open redirect.</summary>
    private static string Local(string? returnUrl) => LoginPaths.IsLocal(returnUrl) ? returnUrl! : "/";

    private static bool SameOrigin(HttpContext context, PublicUrls urls)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length > 0)
        {
            var own = new Uri(urls.BaseUrl(context.Request));
            var request = $"{context.Request.Scheme}://{context.Request.Host}";
            return string.Equals(origin, own.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase)
                || string.Equals(origin, request, StringComparison.OrdinalIgnoreCase);
        }

        // No Origin: not a browser's cross-site form (browsers send Origin on every POST), unless Sec-Fetch-Site says otherwise.
        var site = context.Request.Headers["Sec-Fetch-Site"].ToString();
        return site is "" or "same-origin" or "none";
    }

    private static IResult SeeOther(HttpContext context, string location)
    {
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Location = (context.Request.PathBase.Value ?? string.Empty) + location;
        return Results.StatusCode(StatusCodes.Status303SeeOther);
    }

    private static IResult Page(HttpContext context, int status, LoginPageModel model) => Html(context, status, LoginPage.Login(context, model));

    private static IResult Html(HttpContext context, int status, string html)
    {
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.ContentSecurityPolicy = "default-src 'self'; frame-ancestors 'none'; form-action 'self'";
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }

    private static ILogger Logger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Tessera.Server.Authentication");

    [LoggerMessage(Level = LogLevel.Information, Message = "{Name} signed in with a password from {Address}")]
    private static partial void SignedIn(ILogger logger, string name, System.Net.IPAddress? address);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Failed password sign-in from {Address}")]
    private static partial void Failed(ILogger logger, System.Net.IPAddress? address);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OpenID Connect provider {Authority} could not be reached: {Reason}")]
    private static partial void OidcUnreachable(ILogger logger, string authority, string reason);
}
