using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Http;

namespace Tessera.Server.Access;

/// <summary>
/// The IIIF Authorization Flow services (https://iiif.io/api/auth/2.0/ and 1.0): <c>/auth/v2/probe/{identifier}</c>
/// (AuthProbeResult2 for the token sent), <c>/auth/v2/access</c> and <c>/auth/v1/login</c> (the login page, then a page
/// that closes itself), <c>/auth/v2/kiosk</c> and <c>/auth/v1/kiosk</c>, <c>/auth/v2/token</c> and <c>/auth/v1/token</c>
/// (the postMessage page; 1.0 also answers JSON), <c>/auth/v2/logout</c> and <c>/auth/v1/logout</c>. Mapped only when
/// access rules are configured. Who is signed in is <see cref="HttpContext.User"/>, set by the authentication schemes;
/// the login page itself is theirs, at <c>/auth/login?returnUrl=...</c>.
/// </summary>
public static class AuthEndpoints
{
    /// <summary>Where the access service sends a user who is not signed in.</summary>
    public const string LoginPath = "/auth/login";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static IEndpointRouteBuilder MapAuth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/auth/v2/probe/{**identifier}", ["GET"], Probe);
        endpoints.MapMethods("/auth/v2/probe/{**identifier}", ["OPTIONS"], IiifHeaders.Preflight);
        endpoints.MapGet("/auth/v2/access", Access);
        endpoints.MapGet("/auth/v1/login", Access);
        endpoints.MapGet("/auth/v2/kiosk", Done);
        endpoints.MapGet("/auth/v1/kiosk", Done);
        endpoints.MapGet("/auth/done", Done);
        endpoints.MapGet("/auth/v2/token", Token2);
        endpoints.MapGet("/auth/v1/token", Token1);
        endpoints.MapGet("/auth/v2/logout", Logout);
        endpoints.MapGet("/auth/v1/logout", Logout);
        return endpoints;
    }

    /// <summary>
    /// §5.2: always HTTP 200, the status the image would answer in <c>status</c>: 200, 401 (heading and note), 403; for
    /// the public's view of a degraded image 401 with the reduced image service as <c>substitute</c> (served to them at the
    /// same URL). <c>location</c> is never sent: the spec allows it only with a 30x status. A hidden image's probe is 404.
    /// </summary>
    private static IResult Probe(HttpContext context, AccessPolicy policy)
    {
        IiifHeaders.Cors(context.Response);
        context.Response.Headers.CacheControl = "no-store";
        var identifier = string.Join('/', RawRequestPath.Segments(context, "/auth/v2/probe/") ?? []);
        var view = policy.Decide(identifier, policy.UserOf(context));
        if (view is { Status: 404 })
        {
            return ErrorResults.From(Core.Iiif.IiifError.NotFound("identifier", $"Expected an image or object named \"{identifier}\" but found none"));
        }

        var status = view is null ? 200 : view.Degraded ? 401 : view.Status;
        var result = new JsonObject { ["@context"] = AuthServices.Context2, ["type"] = "AuthProbeResult2", ["status"] = status };
        if (status != 200)
        {
            result["heading"] = AuthServices.Lang(view!.Degraded ? "Reduced image" : status == 403 ? "Not permitted" : view.Rule.Heading);
            result["note"] = AuthServices.Lang(view.Degraded
                ? $"The public sees this image at most {view.Rule.MaxSize} px on its long side{(view.Rule.Watermark is null ? "" : ", watermarked")}; log in for the full image."
                : status == 403 ? "Your account does not have a role that may see this image." : view.Rule.Note);
        }

        if (view is { Degraded: true })
        {
            var service = policy.BaseUrl(context) + "/iiif/3/" + Uri.EscapeDataString(identifier);
            result["substitute"] = new JsonArray(new JsonObject
            {
                ["id"] = service,
                ["type"] = "ImageService3",
                ["profile"] = "level2",
                ["label"] = AuthServices.Lang($"Reduced to {view.Rule.MaxSize} px"),
            });
        }

        return Results.Text(result.ToJsonString(Indented), "application/json");
    }

    /// <summary>The access service (active profile): the login page, which returns to a page that closes the window; straight there when signed in.</summary>
    private static IResult Access(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        var done = (context.Request.PathBase.Value ?? string.Empty) + "/auth/done";
        return context.User.Identity?.IsAuthenticated == true
            ? Results.Redirect(done)
            : Results.Redirect($"{context.Request.PathBase}{LoginPath}?returnUrl={Uri.EscapeDataString(done)}");
    }

    /// <summary>The end of an access service's window: it closes itself, so the client goes on to the token service (§3.3.1.1).</summary>
    private static IResult Done(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        return Results.Content(
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Tessera</title></head><body><p>You may close this window.</p>" +
            "<script>window.close();</script></body></html>\n",
            "text/html; charset=utf-8");
    }

    /// <summary>§4.3: an HTML page whose script posts AuthAccessToken2 (a session exists) or AuthAccessTokenError2 to <c>origin</c>.</summary>
    private static IResult Token2(HttpContext context, AccessPolicy policy)
    {
        var messageId = context.Request.Query["messageId"].ToString();
        var origin = Origin(context.Request.Query["origin"].ToString());
        JsonObject message;
        if (origin is null)
        {
            message = Error2("invalidOrigin", "Expected the origin of the client page (scheme, host and optional port) but received \"" + context.Request.Query["origin"] + "\"", messageId);
        }
        else if (messageId.Length == 0)
        {
            message = Error2("invalidRequest", "Expected a messageId but received none", messageId);
        }
        else if (context.User.Identity?.IsAuthenticated != true)
        {
            message = Error2("missingAspect", "No session was found: log in through the access service first.", messageId);
        }
        else
        {
            message = new JsonObject
            {
                ["@context"] = AuthServices.Context2,
                ["type"] = "AuthAccessToken2",
                ["accessToken"] = policy.Tokens.Issue(context.User, origin),
                ["expiresIn"] = policy.Tokens.LifetimeSeconds,
                ["messageId"] = messageId,
            };
        }

        return PostMessage(context, message, origin);
    }

    /// <summary>
    /// Auth 1.0 §3.2: with <c>messageId</c> and <c>origin</c>, the postMessage page; without, JSON (200 with the token, 401
    /// with the error), the token then bound to the request's <c>Origin</c> (or this server's own).
    /// </summary>
    private static IResult Token1(HttpContext context, AccessPolicy policy)
    {
        var messageId = context.Request.Query["messageId"].ToString();
        var signedIn = context.User.Identity?.IsAuthenticated == true;
        if (messageId.Length == 0)
        {
            context.Response.Headers.CacheControl = "no-store";
            IiifHeaders.Cors(context.Response);
            var requestOrigin = context.Request.Headers.Origin.ToString();
            var body = signedIn
                ? new JsonObject { ["accessToken"] = policy.Tokens.Issue(context.User, requestOrigin.Length > 0 ? requestOrigin : policy.OwnOrigin(context)), ["expiresIn"] = policy.Tokens.LifetimeSeconds }
                : new JsonObject { ["error"] = "missingCredentials", ["description"] = "No session was found: log in through the login service first." };
            return Results.Text(body.ToJsonString(), "application/json", statusCode: signedIn ? 200 : 401);
        }

        var origin = Origin(context.Request.Query["origin"].ToString());
        var message = origin is null
            ? new JsonObject { ["error"] = "invalidOrigin", ["description"] = "Expected the origin of the client page", ["messageId"] = messageId }
            : signedIn
                ? new JsonObject { ["accessToken"] = policy.Tokens.Issue(context.User, origin), ["expiresIn"] = policy.Tokens.LifetimeSeconds, ["messageId"] = messageId }
                : new JsonObject { ["error"] = "missingCredentials", ["description"] = "No session was found: log in through the login service first.", ["messageId"] = messageId };
        return PostMessage(context, message, origin);
    }

    /// <summary>
    /// The logout service: every token of the signed-in user is revoked (and the bearer token sent, if any), and the
    /// session ended with the default sign-out scheme when there is one.
    /// </summary>
    private static async Task<IResult> Logout(HttpContext context, AccessPolicy policy)
    {
        context.Response.Headers.CacheControl = "no-store";
        var revoked = 0;
        if (context.User.Identity is { IsAuthenticated: true, Name: { } name })
        {
            revoked += policy.Tokens.RevokeUser(name);
        }

        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && policy.Tokens.Revoke(authorization[7..].Trim()))
        {
            revoked++;
        }

        if (context.RequestServices.GetService<IAuthenticationSchemeProvider>() is { } schemes && await schemes.GetDefaultSignOutSchemeAsync() is not null)
        {
            try
            {
                await context.SignOutAsync();
            }
            catch (InvalidOperationException)
            {
                // The default scheme cannot sign out (a header or proxy scheme): the tokens are revoked all the same.
            }
        }

        context.Response.Headers["Tessera-Tokens-Revoked"] = revoked.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.Content(
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Logged out</title></head><body><p>You are logged out.</p>" +
            "<script>window.close();</script></body></html>\n",
            "text/html; charset=utf-8");
    }

    private static JsonObject Error2(string profile, string note, string messageId) => new()
    {
        ["@context"] = AuthServices.Context2,
        ["type"] = "AuthAccessTokenError2",
        ["profile"] = profile,
        ["heading"] = AuthServices.Lang("No access token"),
        ["note"] = AuthServices.Lang(note),
        ["messageId"] = messageId,
    };

    /// <summary>
    /// The page whose script posts <paramref name="message"/> to the parent frame, targeted at <paramref name="origin"/> so
    /// no other page receives it (§4.3: "The targetOrigin parameter ... MUST be the same origin value"). An origin that is
    /// not one can receive only the error, which names nothing secret.
    /// </summary>
    private static IResult PostMessage(HttpContext context, JsonObject message, string? origin)
    {
        context.Response.Headers.CacheControl = "no-store";
        // The default encoder escapes <, >, &, ' and non-ASCII: the JSON cannot end the script element.
        var script = $"window.parent.postMessage({message.ToJsonString()}, {JsonSerializer.Serialize(origin ?? "*")});";
        return Results.Content(
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Tessera access token</title></head><body>\n<script>\n" + script + "\n</script>\n</body></html>\n",
            "text/html; charset=utf-8");
    }

    /// <summary>The origin given (scheme, host and optional port of an http(s) URL, nothing more), or null.</summary>
    private static string? Origin(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.GetLeftPart(UriPartial.Authority) == value ? value : null;
}
