using System.Text.Json.Nodes;
using Tessera.Core.Compliance;
using Tessera.Core.Iiif;
using Tessera.Core.Planning;

namespace Tessera.Core.Info;

/// <summary>
/// Builds the image information document (info.json): Image API 3.0 §5 (https://iiif.io/api/image/3.0/#5-image-information)
/// and 2.1 §5. Dimensions are displayed (EXIF-oriented) ones; <c>sizes</c> and <c>tiles</c> describe what the source
/// can serve cheaply, all within the server's limits ("Servers MUST ensure that sizes specified by any sizes or tiles
/// properties are within any size limits expressed").
/// </summary>
public static class InfoDocument
{
    /// <summary>The 3.0 context URI.</summary>
    public const string ContextV3 = "http://iiif.io/api/image/3/context.json";

    /// <summary>The 2.x context URI.</summary>
    public const string ContextV2 = "http://iiif.io/api/image/2/context.json";

    /// <summary>The <c>protocol</c> value of both versions.</summary>
    public const string Protocol = "http://iiif.io/api/image";

    /// <summary>Builds info.json. <paramref name="id"/> is the image's base URI, no trailing slash.</summary>
    public static JsonObject Build(ApiVersion version, string id, SourceInfo source, ServerLimits limits, InfoOptions options)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(options);
        id = id.TrimEnd('/');
        return version == ApiVersion.V2 ? BuildV2(id, source, limits, options) : BuildV3(id, source, limits, options);
    }

    /// <summary>
    /// The <c>sizes</c>: one per pyramid level (or, for a single-level source, per halving), within the limits, smallest
    /// first, leaving out those whose longer side is under <see cref="InfoOptions.MinimumSizeSide"/> (but always at
    /// least one).
    /// </summary>
    public static IReadOnlyList<(int Width, int Height)> Sizes(SourceInfo source, ServerLimits limits, InfoOptions options)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(options);
        var candidates = new List<(int Width, int Height)>();
        if (source.Levels is { Count: > 1 })
        {
            foreach (var level in source.Levels)
            {
                candidates.Add(source.SwapsAxes ? (level.Height, level.Width) : (level.Width, level.Height));
            }
        }
        else
        {
            for (var shift = 0; shift < 31; shift++)
            {
                var (w, h) = (HalvedCeiling(source.Width, shift), HalvedCeiling(source.Height, shift));
                candidates.Add((w, h));
                if (w == 1 && h == 1)
                {
                    break;
                }
            }
        }

        var within = candidates.Where(s => s.Width > 0 && s.Height > 0 && SizeMath.Fits(s.Width, s.Height, limits)).Distinct().ToList();
        if (within.Count == 0)
        {
            within.Add(SizeMath.FitWithin(source.Width, source.Height, limits, upscale: false));
        }

        var kept = within.Where(s => Math.Max(s.Width, s.Height) >= options.MinimumSizeSide).ToList();
        if (kept.Count == 0)
        {
            kept.Add(within.MaxBy(s => (long)s.Width * s.Height));
        }

        return kept.OrderBy(s => (long)s.Width * s.Height).ToList();
    }

    /// <summary>
    /// The tile size in displayed pixels and its scale factors: the real tile size of <c>Levels[0]</c> (swapped for
    /// EXIF 5..8), or the default for untiled sources, clamped to the limits; powers of two from 1 up to the first factor
    /// at which the whole image fits in one tile.
    /// </summary>
    public static (int Width, int Height, IReadOnlyList<int> ScaleFactors) Tiles(SourceInfo source, ServerLimits limits, InfoOptions options)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(options);
        var first = source.Levels is { Count: > 0 } ? source.Levels[0] : null;
        var (tw, th) = first is { IsTiled: true }
            ? (source.SwapsAxes ? (first.TileHeight, first.TileWidth) : (first.TileWidth, first.TileHeight))
            : (options.DefaultTileSize, options.DefaultTileSize);
        if (!SizeMath.Fits(tw, th, limits))
        {
            (tw, th) = SizeMath.FitWithin(tw, th, limits, upscale: false);
        }

        var factors = new List<int>();
        for (var shift = 0; shift < 31; shift++)
        {
            factors.Add(1 << shift);
            if (HalvedCeiling(source.Width, shift) <= tw && HalvedCeiling(source.Height, shift) <= th)
            {
                break;
            }
        }

        return (tw, th, factors);
    }

    private static JsonObject BuildV3(string id, SourceInfo source, ServerLimits limits, InfoOptions options)
    {
        var profile = options.Profile;
        var info = new JsonObject
        {
            ["@context"] = ContextV3,
            ["id"] = id,
            ["type"] = "ImageService3",
            ["protocol"] = Protocol,
            ["profile"] = $"level{profile.Level}",
            ["width"] = source.Width,
            ["height"] = source.Height,
            ["maxWidth"] = limits.MaxWidth,
            ["maxHeight"] = limits.MaxHeight,
            ["maxArea"] = limits.MaxArea,
            ["sizes"] = SizesArray(source, limits, options),
            ["tiles"] = TilesArray(source, limits, options),
        };

        if (options.PreferredFormats.Count > 0)
        {
            info["preferredFormats"] = Strings(options.PreferredFormats.Select(f => f.Extension()));
        }

        if (options.Rights is not null)
        {
            info["rights"] = options.Rights;
        }

        AddIfAny(info, "extraFormats", profile.Formats.Where(f => !f.IsRequiredAt(profile.Level)).Select(f => f.Extension()));
        AddIfAny(info, "extraQualities", profile.Qualities.Where(q => !q.IsRequiredAt(ApiVersion.V3, profile.Level)).Select(q => q.Name()));
        AddIfAny(info, "extraFeatures", ExtraFeatures(profile, ApiVersion.V3));
        return info;
    }

    private static JsonObject BuildV2(string id, SourceInfo source, ServerLimits limits, InfoOptions options)
    {
        var profile = options.Profile;
        var description = new JsonObject
        {
            // 2.1 lists every format and quality offered here (as servers conventionally do), features beyond the level.
            ["formats"] = Strings(profile.Formats.Select(f => f.Extension())),
            ["qualities"] = Strings(profile.Qualities.Select(q => q.Name())),
        };
        AddIfAny(description, "supports", ExtraFeatures(profile, ApiVersion.V2));
        description["maxWidth"] = limits.MaxWidth;
        description["maxHeight"] = limits.MaxHeight;
        description["maxArea"] = limits.MaxArea;

        var info = new JsonObject
        {
            ["@context"] = ContextV2,
            ["@id"] = id,
            ["protocol"] = Protocol,
            ["width"] = source.Width,
            ["height"] = source.Height,
            ["sizes"] = SizesArray(source, limits, options),
            ["tiles"] = TilesArray(source, limits, options),
            ["profile"] = new JsonArray(ComplianceTable.ProfileUri(ApiVersion.V2, profile.Level), description),
        };

        if (options.Rights is not null)
        {
            info["license"] = options.Rights;
        }

        if (options.Attribution is not null)
        {
            info["attribution"] = options.Attribution;
        }

        return info;
    }

    private static IEnumerable<string> ExtraFeatures(ServiceProfile profile, ApiVersion version) =>
        ComplianceTable.Features
            .Where(d => profile.Supports(d.Feature) && d.Feature.ExistsIn(version) && !d.Feature.IsRequiredAt(version, profile.Level))
            .Select(d => d.Name);

    private static JsonArray SizesArray(SourceInfo source, ServerLimits limits, InfoOptions options)
    {
        var array = new JsonArray();
        foreach (var (w, h) in Sizes(source, limits, options))
        {
            array.Add(new JsonObject { ["width"] = w, ["height"] = h });
        }

        return array;
    }

    private static JsonArray TilesArray(SourceInfo source, ServerLimits limits, InfoOptions options)
    {
        var (tw, th, factors) = Tiles(source, limits, options);
        var tile = new JsonObject { ["width"] = tw };
        if (th != tw)
        {
            tile["height"] = th;
        }

        var scaleFactors = new JsonArray();
        foreach (var factor in factors)
        {
            scaleFactors.Add(factor);
        }

        tile["scaleFactors"] = scaleFactors;
        return [tile];
    }

    private static void AddIfAny(JsonObject target, string name, IEnumerable<string> values)
    {
        var array = Strings(values);
        if (array.Count > 0)
        {
            target[name] = array;
        }
    }

    private static JsonArray Strings(IEnumerable<string> values)
    {
        var array = new JsonArray();
        foreach (var value in values)
        {
            array.Add(value);
        }

        return array;
    }

    private static int HalvedCeiling(int value, int shift) => (int)(((long)value + (1L << shift) - 1) >> shift);
}
