using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Tessera.Server.Hosting;

namespace Tessera.Server.Http;

/// <summary>Validators and freshness for responses (RFC 9110 §13, RFC 9111): ETag, Last-Modified, Cache-Control, 304.</summary>
public static class HttpCaching
{
    /// <summary>Sets the caching headers; returns true when the client's copy is current and a 304 should be sent.</summary>
    public static bool Apply(HttpContext context, TesseraServerOptions options, string etag, DateTimeOffset lastModified)
    {
        var response = context.Response;
        var modified = new DateTimeOffset(lastModified.UtcDateTime.Ticks - (lastModified.UtcDateTime.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        response.Headers.ETag = etag;
        response.Headers.LastModified = HeaderUtilities.FormatDate(modified);
        response.Headers.CacheControl = options.CacheMaxAgeSeconds > 0 ? $"public, max-age={options.CacheMaxAgeSeconds}" : "no-cache";

        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            return false;
        }

        // If-None-Match wins over If-Modified-Since when both are sent (RFC 9110 §13.2.2).
        var ifNoneMatch = request.Headers.IfNoneMatch;
        if (ifNoneMatch.Count > 0)
        {
            foreach (var value in ifNoneMatch)
            {
                foreach (var candidate in (value ?? string.Empty).Split(','))
                {
                    var tag = candidate.Trim();
                    if (tag == "*" || tag == etag || tag == "W/" + etag)
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        return HeaderUtilities.TryParseDate(request.Headers.IfModifiedSince.ToString(), out var since) && modified <= since;
    }
}
