using Microsoft.AspNetCore.Http;
using Tessera.Core.Iiif;

namespace Tessera.Server.Http;

/// <summary>Headers every IIIF response carries: CORS (3.0 §7.1), JSON-LD media types (§7.2), Link headers.</summary>
public static class IiifHeaders
{
    public static string ProfileUri(ApiVersion version) => version == ApiVersion.V3
        ? "http://iiif.io/api/image/3/level2.json"
        : "http://iiif.io/api/image/2/level2.json";

    public static string Context(ApiVersion version) => version == ApiVersion.V3
        ? "http://iiif.io/api/image/3/context.json"
        : "http://iiif.io/api/image/2/context.json";

    public static void Cors(HttpResponse response)
    {
        response.Headers.AccessControlAllowOrigin = "*";
    }

    /// <summary>Answers a CORS preflight: any origin, the read methods, whatever headers the browser asks for.</summary>
    public static IResult Preflight(HttpContext context)
    {
        Cors(context.Response);
        context.Response.Headers.AccessControlAllowMethods = "GET, HEAD, OPTIONS";
        var requested = context.Request.Headers.AccessControlRequestHeaders.ToString();
        context.Response.Headers.AccessControlAllowHeaders = string.IsNullOrEmpty(requested) ? "*" : requested;
        context.Response.Headers.AccessControlMaxAge = "86400";
        return Results.NoContent();
    }

    /// <summary>
    /// "If the client explicitly wants the JSON-LD content-type, then it must specify this in an Accept header,
    /// otherwise the server must return the regular JSON content-type." (3.0 §7.2)
    /// </summary>
    public static string JsonMediaType(HttpRequest request, ApiVersion version)
    {
        var accept = request.Headers.Accept.ToString();
        return accept.Contains("application/ld+json", StringComparison.OrdinalIgnoreCase)
            ? $"application/ld+json;profile=\"{Context(version)}\""
            : "application/json";
    }

    public static void ProfileLink(HttpResponse response, ApiVersion version) =>
        AppendLink(response, $"<{ProfileUri(version)}>;rel=\"profile\"");

    public static void CanonicalLink(HttpResponse response, string uri) =>
        AppendLink(response, $"<{uri}>;rel=\"canonical\"");

    /// <summary>
    /// One <c>Link</c> line holding every link, comma-separated (RFC 8288): clients that keep only the first or only the
    /// last line of a repeated header (the IIIF validator's older and newer code) must still see both rels.
    /// </summary>
    private static void AppendLink(HttpResponse response, string link)
    {
        var existing = response.Headers.Link.ToString();
        response.Headers.Link = existing.Length == 0 ? link : $"{existing}, {link}";
    }
}
