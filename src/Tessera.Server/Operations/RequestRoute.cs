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

        return new RequestRoute(OtherKind(path), null);
    }

    /// <summary>
    /// <see cref="Of"/>'s <see cref="Kind"/> without the identifier, allocating nothing: what the metrics of every request
    /// need (a stored tile is answered in microseconds; decoding its identifier would cost more than counting it).
    /// </summary>
    public static string KindOf(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        if (path.StartsWith("/iiif/3/", StringComparison.Ordinal) || path.StartsWith("/iiif/2/", StringComparison.Ordinal))
        {
            // As IiifPath.Parse decides: one segment (or one and a slash) is the base URI, a last segment info.json the
            // information request, anything else an image request (five or more segments) or a malformed one, counted
            // as image.
            var rest = path.AsSpan("/iiif/3/".Length);
            if (rest.IsEmpty || rest[0] == '/')
            {
                return "image";
            }

            var segments = rest.Count('/') + 1;
            if (segments == 1 || (segments == 2 && rest[^1] == '/'))
            {
                return "base";
            }

            return rest.EndsWith("/info.json", StringComparison.Ordinal) ? "info" : "image";
        }

        if (path.StartsWith("/iiif/presentation/", StringComparison.Ordinal))
        {
            return "presentation";
        }

        if (path.StartsWith("/deepzoom/", StringComparison.Ordinal) || path.StartsWith("/zoomify/", StringComparison.Ordinal))
        {
            return "legacy";
        }

        return OtherKind(path);
    }

    private static string OtherKind(string path) => path switch
    {
        "/healthz" or "/readyz" => "health",
        "/admin" => "admin",
        _ when path.StartsWith("/admin/", StringComparison.Ordinal) => "admin",
        "/" => "viewer",
        _ when path.StartsWith("/view/", StringComparison.Ordinal) || path.StartsWith("/viewer/", StringComparison.Ordinal) || path.StartsWith("/mirador/", StringComparison.Ordinal) => "viewer",
        _ => "other",
    };
}
