using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Imaging.Pipeline;
using Tessera.Server.Hosting;
using Tessera.Server.Operations;
using Tessera.Server.Operations.Admin;

namespace Tessera.Server.Endpoints;

/// <summary>
/// Operator endpoints, present only when an admin token is configured: the admin page (<c>/admin</c>, a shell without
/// data), its data (<c>/admin/status</c>), and purges of one identifier's caches (<c>DELETE /admin/cache/{identifier}</c>)
/// or of every identifier under a prefix (<c>DELETE /admin/cache?prefix=...</c>). All but the shell want
/// <c>Authorization: Bearer {AdminToken}</c> and answer 401 without it.
/// </summary>
public static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder endpoints)
    {
        var options = endpoints.ServiceProvider.GetRequiredService<TesseraServerOptions>();
        if (options.AdminToken is null)
        {
            return endpoints;
        }

        var expected = Encoding.UTF8.GetBytes("Bearer " + options.AdminToken);
        bool Authorized(HttpContext context) =>
            CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(context.Request.Headers.Authorization.ToString()), expected);

        endpoints.MapGet("/admin", (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            context.Response.Headers["X-Frame-Options"] = "DENY";
            return Results.Content(AdminPage.Html, "text/html; charset=utf-8");
        });

        endpoints.MapGet("/admin/status", (HttpContext context, ImagePipeline pipeline, RequestWindow window, Readiness readiness) =>
        {
            if (!Authorized(context))
            {
                return Unauthorized();
            }

            context.Response.Headers.CacheControl = "no-store";
            return Results.Text(AdminStatus.Build(options, pipeline, window, readiness).ToJsonString(), "application/json; charset=utf-8");
        });

        endpoints.MapDelete("/admin/cache/{**identifier}", (HttpContext context, string? identifier, string? prefix, ImagePipeline pipeline) =>
        {
            if (!Authorized(context))
            {
                return Unauthorized();
            }

            if (string.IsNullOrEmpty(identifier))
            {
                return PurgePrefix(pipeline, prefix, context.RequestAborted);
            }

            var purged = pipeline.Purge(Uri.UnescapeDataString(identifier));
            return Results.Text($"purged {purged} cached entries of \"{identifier}\"\n");
        });
        return endpoints;
    }

    /// <summary>Purges every identifier of the root's listing that starts with <paramref name="prefix"/>, one by one through the pipeline.</summary>
    private static IResult PurgePrefix(ImagePipeline pipeline, string? prefix, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(prefix))
        {
            return Results.Text("400 Bad Request: Expected an identifier (DELETE /admin/cache/{identifier}) or a non-empty prefix (DELETE /admin/cache?prefix=...) but received neither\n", statusCode: StatusCodes.Status400BadRequest);
        }

        var listing = pipeline.Catalog.Resolver.List(cancellationToken);
        int identifiers = 0, purged = 0;
        foreach (var identifier in listing.Where(i => i.StartsWith(prefix, StringComparison.Ordinal)))
        {
            identifiers++;
            purged += pipeline.Purge(identifier);
        }

        var truncated = listing.Truncated is { } why ? $" (the listing stopped early: {why}; purge again or by identifier for the rest)" : string.Empty;
        return Results.Text($"purged {purged} cached entries of {identifiers} identifiers under \"{prefix}\"{truncated}\n");
    }

    private static IResult Unauthorized() =>
        Results.Text("401 Unauthorized: send Authorization: Bearer {AdminToken}\n", statusCode: StatusCodes.Status401Unauthorized);
}
