namespace Tessera.Core.Iiif;

/// <summary>The quality parameter's names (Image API 3.0 §4.4, 2.1 §4.4): <c>default</c>, <c>color</c>, <c>gray</c>, <c>bitonal</c>.</summary>
public static class Qualities
{
    /// <summary>Every quality Tessera offers, in the order info.json lists them.</summary>
    public static IReadOnlyList<Quality> All { get; } = [Quality.Default, Quality.Color, Quality.Gray, Quality.Bitonal];

    /// <summary>The URI name of a quality.</summary>
    public static string Name(this Quality quality) => quality switch
    {
        Quality.Default => "default",
        Quality.Color => "color",
        Quality.Gray => "gray",
        Quality.Bitonal => "bitonal",
        _ => throw new ArgumentOutOfRangeException(nameof(quality), quality, "Unknown quality"),
    };

    /// <summary>
    /// Parses a quality name exactly. <c>grey</c> is not a quality in 2.x or 3.0 (it was 1.x's <c>grey</c>; the
    /// validator itself asks for <c>gray</c> from 2.0 on), and <c>native</c> is 1.x only.
    /// </summary>
    public static bool TryParse(string? name, out Quality quality)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.Name(), name, StringComparison.Ordinal))
            {
                quality = candidate;
                return true;
            }
        }

        quality = default;
        return false;
    }
}
