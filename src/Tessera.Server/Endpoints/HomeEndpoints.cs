using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Tessera.Server.Endpoints;

/// <summary>
/// <c>/healthz</c>. The page at <c>/</c>, which lists the images and objects, is the viewer's
/// (<see cref="Viewer.ViewerEndpoints"/>).
/// </summary>
public static class HomeEndpoints
{
    public static IEndpointRouteBuilder MapHome(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => Results.Text("ok\n"));
        return endpoints;
    }
}
