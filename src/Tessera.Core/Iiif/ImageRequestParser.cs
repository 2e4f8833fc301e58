namespace Tessera.Core.Iiif;

/// <summary>
/// Turns the path segments of an image request into an <see cref="ImageRequest"/> or a 400 naming the first bad
/// component (3.0 §7.3: "A request is likely to fail on the first error encountered"). Strings in, errors as values:
/// it never throws for bad input.
/// </summary>
public static class ImageRequestParser
{
    /// <summary>
    /// Parses <c>{region}/{size}/{rotation}/{quality}.{format}</c> for a version. <paramref name="identifier"/> is
    /// taken as already percent-decoded; <paramref name="qualityAndFormat"/> is the last segment, e.g. <c>default.jpg</c>.
    /// </summary>
    public static Outcome<ImageRequest> Parse(
        ApiVersion version,
        string identifier,
        string region,
        string size,
        string rotation,
        string qualityAndFormat)
    {
        if (version is not (ApiVersion.V2 or ApiVersion.V3))
        {
            return IiifError.BadRequest("version", $"Expected 2 or 3 for version but received \"{(int)version}\"");
        }

        if (string.IsNullOrEmpty(identifier))
        {
            return IiifError.BadRequest("identifier", "Expected an identifier but received nothing");
        }

        if (!RegionSpec.Parse(region).TryGetValue(out var regionSpec, out var error)
            || !SizeSpec.Parse(version, size).TryGetValue(out var sizeSpec, out error)
            || !RotationSpec.Parse(rotation).TryGetValue(out var rotationSpec, out error))
        {
            return error;
        }

        var dot = qualityAndFormat?.LastIndexOf('.') ?? -1;
        var qualityText = dot < 0 ? qualityAndFormat : qualityAndFormat![..dot];
        if (!Qualities.TryParse(qualityText, out var quality))
        {
            return IiifError.BadRequest("quality", $"Expected default, color, gray or bitonal for quality but received {IiifNumber.Quote(qualityText)}");
        }

        var formatText = dot < 0 ? null : qualityAndFormat![(dot + 1)..];
        if (!ImageFormats.TryParse(formatText, out var format))
        {
            // 3.0 §4.5 and 2.1 §4.5: "A format value that is unsupported SHOULD result in a 400 (Bad Request) status code."
            return IiifError.BadRequest("format", $"Expected one of {string.Join(", ", ImageFormats.All.Select(f => f.Extension()))} for format but received {IiifNumber.Quote(formatText)}");
        }

        return new ImageRequest(version, identifier, regionSpec, sizeSpec, rotationSpec, quality, format);
    }
}
