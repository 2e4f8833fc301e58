using Microsoft.AspNetCore.Http;
using Tessera.Imaging.Caching;
using Tessera.Imaging.Rendering;

namespace Tessera.Server.Operations.Metrics;

/// <summary>
/// Label values of the request metrics, each a constant string: labelling a request allocates nothing, and every label
/// has a small fixed set of values (never an identifier), so the number of series stays bounded.
/// </summary>
internal static class MetricLabels
{
    /// <summary>The response header that says where an image's bytes came from (see <see cref="SetOrigin"/>).</summary>
    public const string OriginHeader = "X-Tessera-Origin";

    /// <summary>The response header that names the cache tier, beside <c>X-Tessera-Origin: cache</c>.</summary>
    public const string CacheTierHeader = "X-Tessera-Cache";

    private static readonly string[] Statuses = [.. Enumerable.Range(0, 600).Select(s => s.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    public static string Status(int status) => status is >= 100 and < 600 ? Statuses[status] : "other";

    /// <summary>
    /// Says where an image answer's bytes came from, in the headers that <see cref="Origin"/>, the access log and clients
    /// read: every route that answers an image (the Image API, Deep Zoom, Zoomify, IIP) sets them here, so all are
    /// labelled alike. Returns the header's value.
    /// </summary>
    public static string SetOrigin(HttpResponse response, RenderedImage image)
    {
        var origin = image.Origin switch
        {
            RenderOrigin.StoredTile => "stored-tile",
            RenderOrigin.Cache => "cache",
            RenderOrigin.JpegTiles => "jpeg-tiles",
            RenderOrigin.OpenJpeg => "openjpeg",
            _ => "rendered",
        };
        response.Headers[OriginHeader] = origin;
        if (image.Tier is { } tier)
        {
            response.Headers[CacheTierHeader] = Tier(tier);
        }

        return origin;
    }

    /// <summary>
    /// Where the bytes came from, from the headers <see cref="SetOrigin"/> set: <c>stored-tile</c>, <c>jpeg-tiles</c>,
    /// <c>openjpeg</c>, <c>rendered</c>, <c>cache-memory</c>, <c>cache-disk</c>, <c>cache</c> (a tier that does not say
    /// which), or <c>none</c> (not an image).
    /// </summary>
    public static string Origin(HttpResponse response)
    {
        var headers = response.Headers;
        if (!headers.TryGetValue(OriginHeader, out var origin))
        {
            return "none";
        }

        return origin.ToString() switch
        {
            "stored-tile" => "stored-tile",
            "jpeg-tiles" => "jpeg-tiles",
            "openjpeg" => "openjpeg",
            "rendered" => "rendered",
            "cache" => !headers.TryGetValue(CacheTierHeader, out var tier) ? "cache" : tier.ToString() switch
            {
                "memory" => "cache-memory",
                "disk" => "cache-disk",
                _ => "cache",
            },
            _ => "other",
        };
    }

    /// <summary>The header value for a tier.</summary>
    public static string Tier(CacheTier tier) => tier == CacheTier.Disk ? "disk" : "memory";

    /// <summary>What produced the bytes of a render (the path that ran, which differs from the one chosen when a fast path declined).</summary>
    public static string RenderPath(RenderOrigin origin) => origin switch
    {
        RenderOrigin.StoredTile => "stored-tile",
        RenderOrigin.JpegTiles => "jpeg-tiles",
        RenderOrigin.OpenJpeg => "openjpeg",
        _ => "libvips",
    };
}
