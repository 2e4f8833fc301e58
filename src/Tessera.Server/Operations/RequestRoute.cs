using Microsoft.AspNetCore.Http;
using Tessera.Server.Http;

namespace Tessera.Server.Operations;

/// <summary>
/// What a request asked for, from its path alone: the route kind (<c>image</c>, <c>info</c>, <c>base</c>,
/// <c>presentation</c>, <c>legacy</c>, <c>viewer</c>, <c>health</c>, <c>admin</c>, <c>other</c>) and the image identifier
/// when it names one. For logs: it never refuses anything, and an unparsable path simply has no identifier.
/// </summary>
public sealed record RequestRoute(string Kind, string? Identifier)
{
    public static RequestRoute Of(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        if ((RawRequestPath.Rest(context, "/iiif/3/") ?? RawRequestPath.Rest(context, "/iiif/2/")) is { } rest)
        {
            return IiifPath.Parse(rest).TryGetValue(out var parsed, out _)
                ? new RequestRoute(parsed.Kind switch { IiifPathKind.Info => "info", IiifPathKind.Base => "base", _ => "image" }, parsed.Identifier)
                : new RequestRoute("image", null);
        }

        if (path.StartsWith("/iiif/presentation/", StringComparison.Ordinal))
        {
            return new RequestRoute("presentation", null);
        }

        if (RawRequestPath.Segments(context, "/deepzoom/") is { } deepZoom)
        {
            var joined = string.Join('/', deepZoom);
            var files = joined.LastIndexOf("_files/", StringComparison.Ordinal);
            return new RequestRoute("legacy", joined.EndsWith(".dzi", StringComparison.Ordinal) ? joined[..^4] : files > 0 ? joined[..files] : null);
        }

        if (RawRequestPath.Segments(context, "/zoomify/") is { } zoomify)
        {
            var tile = zoomify.Length >= 3 && zoomify[^2].StartsWith("TileGroup", StringComparison.Ordinal);
            var properties = zoomify.Length >= 2 && zoomify[^1] == "ImageProperties.xml";
            return new RequestRoute("legacy", tile ? string.Join('/', zoomify[..^2]) : properties ? string.Join('/', zoomify[..^1]) : null);
        }

        return path switch
        {
            "/healthz" or "/readyz" => new RequestRoute("health", null),
            _ when path.StartsWith("/admin/", StringComparison.Ordinal) => new RequestRoute("admin", null),
            "/" => new RequestRoute("viewer", null),
            _ when path.StartsWith("/view/", StringComparison.Ordinal) || path.StartsWith("/viewer/", StringComparison.Ordinal) || path.StartsWith("/mirador/", StringComparison.Ordinal) => new RequestRoute("viewer", null),
            _ => new RequestRoute("other", null),
        };
    }
}
