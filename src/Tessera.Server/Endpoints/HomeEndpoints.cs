using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tessera.Server.Operations;

namespace Tessera.Server.Endpoints;

/// <summary>
/// <c>/healthz</c> (the process answers: Kubernetes' liveness) and <c>/readyz</c> (it can serve: root readable, libvips
/// up, disk cache writable; 503 with the failed check otherwise, see <see cref="Readiness"/>). The page at <c>/</c>, which lists the images and objects, is the viewer's
/// (<see cref="Viewer.ViewerEndpoints"/>).
/// </summary>
public static class HomeEndpoints
{
    public static IEndpointRouteBuilder MapHome(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => Results.Text("ok\n"));
        endpoints.MapGet("/readyz", (HttpContext context, Readiness readiness) =>
        {
            var report = readiness.Check();
            context.Response.Headers.CacheControl = "no-store";
            return Results.Text(report.ToString(), "text/plain; charset=utf-8", statusCode: report.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        return endpoints;
    }
}
