using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Imaging.Pipeline;
using Tessera.Server.Hosting;

namespace Tessera.Server.Endpoints;

/// <summary>Operator endpoints, present only when an admin token is configured: purge one identifier's caches.</summary>
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
        endpoints.MapDelete("/admin/cache/{**identifier}", (HttpContext context, string identifier, ImagePipeline pipeline) =>
        {
            var given = Encoding.UTF8.GetBytes(context.Request.Headers.Authorization.ToString());
            if (!CryptographicOperations.FixedTimeEquals(given, expected))
            {
                return Results.Text("401 Unauthorized: send Authorization: Bearer {AdminToken}\n", statusCode: StatusCodes.Status401Unauthorized);
            }

            var purged = pipeline.Purge(Uri.UnescapeDataString(identifier));
            return Results.Text($"purged {purged} cached entries of \"{identifier}\"\n");
        });
        return endpoints;
    }
}
