using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;

namespace Tessera.Server.Viewer;

/// <summary>
/// The static files of the viewer pages, embedded in this assembly at build time (OpenSeadragon and Mirador from npm,
/// see <c>web/package.json</c>, and Tessera's own scripts), so a server needs no internet and no folder beside it.
/// Each is served at <c>/viewer/{name}</c>.
/// </summary>
internal static class ViewerAssets
{
    private const string Prefix = "viewer/";

    private static readonly FrozenDictionary<string, string> MediaTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".png"] = "image/png",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly Lazy<FrozenDictionary<string, byte[]>> Files = new(Load);

    /// <summary>The names of every asset, e.g. <c>openseadragon/openseadragon.min.js</c>.</summary>
    public static IEnumerable<string> Names => Files.Value.Keys;

    public static IResult Serve(string? name)
    {
        if (name is null || !Files.Value.TryGetValue(name, out var bytes))
        {
            return Results.Text($"404 Not Found: asset: No viewer asset \"{name}\"\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
        }

        var type = MediaTypes.GetValueOrDefault(Path.GetExtension(name), "application/octet-stream");
        return Results.Bytes(bytes, type, entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue(ETag));
    }

    /// <summary>Changes with every build, so browsers revalidate once after an upgrade.</summary>
    private static readonly string ETag = $"\"{typeof(ViewerAssets).Assembly.ManifestModule.ModuleVersionId:N}\"";

    private static FrozenDictionary<string, byte[]> Load()
    {
        var assembly = typeof(ViewerAssets).Assembly;
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[resource[Prefix.Length..]] = copy.ToArray();
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Whether the npm assets were embedded (a build without <c>npm ci</c> would lack them).</summary>
    public static bool HasViewers => Files.Value.ContainsKey("openseadragon/openseadragon.min.js") && Files.Value.ContainsKey("mirador/mirador.min.js");
}
