using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Core.Iiif;
using Tessera.Server.Http;

namespace Tessera.Server.Access;

/// <summary>
/// Enforces the access rules on every route that shows an image's pixels or facts, before its endpoint runs: the Image
/// API (both versions), Deep Zoom, Zoomify, <c>/view/</c>, and the Presentation and Mirador routes of an object. A hidden
/// image is 404 everywhere; a <c>login</c> image 401 (no user or token) or 403 (no role), except its info.json, which
/// answers with that status and its auth services so a client can recover; the degraded view goes on to the Image API
/// (<see cref="AccessView"/>) and is refused on the legacy tile routes, whose descriptors know only the full size.
/// Responses about protected images are never kept by shared caches and revalidated by browsers each time
/// (<c>private, no-cache</c>, <c>Vary: Authorization, Cookie, Origin</c>).
/// </summary>
public static class AccessMiddleware
{
    public static async Task Enforce(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        // A CORS preflight carries no credentials by design and shows nothing: it is answered as for any image.
        // No rules (only the auth services of Rendering: authorised): nothing to decide.
        if (HttpMethods.IsOptions(context.Request.Method) || context.RequestServices.GetService<AccessPolicy>() is not { Rules.Rules.Count: > 0 } policy || Target(context) is not { } target)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var user = policy.UserOf(context);
        var notFound = IiifError.NotFound("identifier", $"Expected an image or object named \"{target.Identifier}\" but found none");
        if (target.Route == Route.Object)
        {
            // A manifest shows its images' services (with their auth services), not their pixels: only hiding applies.
            var administrator = user.Identity?.IsAuthenticated == true && user.IsInRole(policy.Rules.AdminRole);
            await (policy.Rules.FindObject(target.Identifier).Access == AccessKind.Hidden && !administrator ? Refuse(context, notFound) : next(context)).ConfigureAwait(false);
            return;
        }

        if (policy.Decide(target.Identifier, user) is not { } view)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        if (view.Status == 404)
        {
            await Refuse(context, notFound).ConfigureAwait(false);
            return;
        }

        // The viewer page holds no pixels: it must open for a 401 or 403 so its script can run the auth flow.
        if (view.Status != 200 && !target.IsInfo && target.Route != Route.View)
        {
            if (view.Status == 401)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer realm=\"tessera\"";
            }

            await Refuse(context, new IiifError(view.Status, "access", view.Status == 401
                ? $"Expected a signed-in user or an access token for \"{target.Identifier}\" but received neither; its info.json lists the IIIF auth services"
                : $"Expected a user in one of the roles {string.Join(", ", view.Rule.Roles)} for \"{target.Identifier}\" but the user is in none")).ConfigureAwait(false);
            return;
        }

        if (view.Degraded && target.Route == Route.Legacy)
        {
            await Refuse(context, new IiifError(403, "access", $"Expected the IIIF Image API for the public's reduced view of \"{target.Identifier}\" (degraded access); Deep Zoom and Zoomify serve only the full image, to authorised users")).ConfigureAwait(false);
            return;
        }

        context.Items[typeof(AccessView)] = view;
        context.Response.OnStarting(
            static state =>
            {
                var response = (HttpResponse)state;
                if (response.StatusCode < 400)
                {
                    // Only the browser may keep it, and must ask again each time (a 304 while still authorised): a token
                    // revoked or a session ended is noticed at once. The answer depends on the token, the session cookie
                    // and the Origin the token is bound to.
                    response.Headers.CacheControl = "private, no-cache";
                    var vary = response.Headers.Vary.ToString();
                    response.Headers.Vary = vary.Length == 0 ? "Authorization, Cookie, Origin" : vary + ", Authorization, Cookie, Origin";
                }

                return Task.CompletedTask;
            },
            context.Response);
        await next(context).ConfigureAwait(false);
    }

    private static Task Refuse(HttpContext context, IiifError error)
    {
        IiifHeaders.Cors(context.Response);
        return ErrorResults.From(error).ExecuteAsync(context);
    }

    private enum Route
    {
        Image,
        Legacy,
        View,
        Object,
    }

    /// <summary>The route and the identifier (or Presentation object) a request is about, or null for other routes.</summary>
    private static (Route Route, string Identifier, bool IsInfo)? Target(HttpContext context)
    {
        if ((RawRequestPath.Rest(context, "/iiif/3/") ?? RawRequestPath.Rest(context, "/iiif/2/")) is { } rest)
        {
            return IiifPath.Parse(rest).TryGetValue(out var path, out _) ? (Route.Image, path.Identifier, path.Kind == IiifPathKind.Info) : null;
        }

        if (RawRequestPath.Rest(context, "/deepzoom/") is { } deepZoom)
        {
            var path = string.Join('/', deepZoom.Split('/').Select(Uri.UnescapeDataString));
            var files = path.LastIndexOf("_files/", StringComparison.Ordinal);
            return (Route.Legacy, path.EndsWith(".dzi", StringComparison.Ordinal) ? path[..^4] : files >= 0 ? path[..files] : path, false);
        }

        if (RawRequestPath.Segments(context, "/zoomify/") is { Length: >= 2 } zoomify)
        {
            return (Route.Legacy, string.Join('/', zoomify[^1] == "ImageProperties.xml" ? zoomify[..^1] : zoomify.Length >= 3 ? zoomify[..^2] : zoomify), false);
        }

        if (RawRequestPath.Segments(context, "/view/") is { } view)
        {
            return (Route.View, string.Join('/', view), false);
        }

        if (RawRequestPath.Segments(context, "/mirador/") is { } mirador)
        {
            return (Route.Object, string.Join('/', mirador).TrimEnd('/'), false);
        }

        if (RawRequestPath.Segments(context, "/iiif/presentation/") is { Length: >= 2 } presentation && presentation[^1] == "manifest.json")
        {
            return (Route.Object, string.Join('/', presentation[..^1]), false);
        }

        return null;
    }
}
