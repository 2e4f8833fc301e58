using System.Text.Json.Nodes;
using Tessera.Core.Compliance;
using Tessera.Core.Iiif;
using Tessera.Core.Info;
using Tessera.Core.Planning;

namespace Tessera.Imaging.Batch;

/// <summary>
/// info.json for a static level-0 tree: the server's own document (same dimensions, same context and rights), with
/// <c>profile</c> level0, the tiles and sizes that were actually written, and nothing a static file server cannot do
/// (no extra features, formats or qualities, no size limits).
/// </summary>
public static class StaticInfo
{
    public static JsonObject Build(ApiVersion version, string id, SourceInfo source, ServerLimits limits, int tileSize, IReadOnlyList<int> scaleFactors, IReadOnlyList<(int Width, int Height)> sizes)
    {
        var info = InfoDocument.Build(version, id, source, limits, InfoOptions.Default);
        foreach (var key in new[] { "extraFeatures", "extraFormats", "extraQualities", "maxWidth", "maxHeight", "maxArea", "preferredFormats" })
        {
            info.Remove(key);
        }

        info["profile"] = version == ApiVersion.V2 ? new JsonArray(ComplianceTable.ProfileUri(ApiVersion.V2, 0)) : "level0";
        var factors = new JsonArray();
        foreach (var factor in scaleFactors.Order())
        {
            factors.Add(factor);
        }

        info["tiles"] = new JsonArray(new JsonObject { ["width"] = tileSize, ["height"] = tileSize, ["scaleFactors"] = factors });
        var sizeArray = new JsonArray();
        foreach (var (w, h) in sizes)
        {
            sizeArray.Add(new JsonObject { ["width"] = w, ["height"] = h });
        }

        info["sizes"] = sizeArray;
        return info;
    }
}
