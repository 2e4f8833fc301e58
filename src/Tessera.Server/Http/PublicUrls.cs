using Microsoft.AspNetCore.Http;
using Tessera.Core.Iiif;
using Tessera.Server.Hosting;

namespace Tessera.Server.Http;

/// <summary>
/// The URL a client used to reach the server: the configured base URL, or else the request's own scheme, host and
/// path base, with the <c>X-Forwarded-*</c> headers believed only when the deployment says so.
/// </summary>
public sealed class PublicUrls(TesseraServerOptions options)
{
    public string BaseUrl(HttpRequest request)
    {
        if (options.BaseUrl is { } configured)
        {
            return configured.TrimEnd('/');
        }

        var scheme = request.Scheme;
        var host = request.Host.HasValue ? request.Host.Value : "localhost";
        var prefix = request.PathBase.Value ?? string.Empty;
        if (options.TrustForwardedHeaders)
        {
            scheme = First(request.Headers["X-Forwarded-Proto"]) is { } p && p is "http" or "https" ? p : scheme;
            host = First(request.Headers["X-Forwarded-Host"]) is { } h && IsHost(h) ? h : host;
            prefix = First(request.Headers["X-Forwarded-Prefix"]) is { } x && x.StartsWith('/') ? x.TrimEnd('/') : prefix;
        }

        return $"{scheme}://{host}{prefix}";
    }

    /// <summary>The image's base URI, e.g. <c>https://example.org/iiif/3/maps%2F1850.tif</c>.</summary>
    public string ImageId(HttpRequest request, ApiVersion version, string identifier) =>
        $"{BaseUrl(request)}/iiif/{(int)version}/{Uri.EscapeDataString(identifier)}";

    private static string? First(Microsoft.Extensions.Primitives.StringValues values)
    {
        var value = values.ToString();
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var comma = value.IndexOf(',', StringComparison.Ordinal);
        return (comma < 0 ? value : value[..comma]).Trim();
    }

    private static bool IsHost(string value) =>
        value.Length <= 255 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':' or '[' or ']');
}
