using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Tessera.Server.Http;

/// <summary>
/// The undecoded path of a request after a prefix, split into segments each decoded exactly once: the framework's
/// path would already have decoded some escapes (all but <c>%2F</c>), so an identifier like <c>a%2Fb.jpg</c> and a
/// double-encoded <c>%252F</c> are only unambiguous in the raw target.
/// </summary>
internal static class RawRequestPath
{
    /// <summary>The decoded segments after <paramref name="prefix"/> (e.g. <c>/deepzoom/</c>), or null when the path does not start with it.</summary>
    public static string[]? Segments(HttpContext context, string prefix) =>
        Rest(context, prefix) is { } rest ? [.. rest.Split('/').Select(Uri.UnescapeDataString)] : null;

    /// <summary>The raw, still-encoded path after <paramref name="prefix"/>, without the query; null when the path does not start with it.</summary>
    public static string? Rest(HttpContext context, string prefix)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? string.Empty;
        var query = raw.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0)
        {
            raw = raw[..query];
        }

        var pathBase = context.Request.PathBase.Value;
        if (!string.IsNullOrEmpty(pathBase) && raw.StartsWith(pathBase, StringComparison.OrdinalIgnoreCase))
        {
            raw = raw[pathBase.Length..];
        }

        if (!raw.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        return raw[prefix.Length..];
    }
}
