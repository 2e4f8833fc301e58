namespace Tessera.Imaging.Processing;

/// <summary>
/// One derivative of go-iiif's iiif-process instructions: IIIF 2.1 parameters plus its extensions — quality
/// <c>dither</c> (a 1-bit halftone), region <c>-1,-1,w,h</c> (the most interesting w×h area), rotation <c>-1</c> (leave the
/// stored pixels as they are: EXIF orientation not applied) and format <c>""</c> (the source's own format).
/// </summary>
/// <param name="Region">Default <c>full</c>.</param>
/// <param name="Size">Default <c>full</c>.</param>
/// <param name="Rotation">Default <c>0</c>.</param>
/// <param name="Quality">Default <c>default</c>.</param>
/// <param name="Format">Default <c>jpg</c> when absent; <c>""</c> keeps the source's format.</param>
public sealed record Instruction(string Region = "full", string Size = "full", string Rotation = "0", string Quality = "default", string Format = "jpg")
{
    public const string DitherQuality = "dither";

    public const string NoOrientation = "-1";

    private const string SmartCropPrefix = "-1,-1,";

    public bool IsDither => Quality == DitherQuality;

    public bool KeepsStoredOrientation => Rotation == NoOrientation;

    public bool KeepsSourceFormat => Format.Length == 0;

    /// <summary>The w×h of a smart crop (<c>-1,-1,w,h</c>), or null for an ordinary IIIF region.</summary>
    public (int Width, int Height)? SmartCrop
    {
        get
        {
            if (!Region.StartsWith(SmartCropPrefix, StringComparison.Ordinal))
            {
                return null;
            }

            var parts = Region[SmartCropPrefix.Length..].Split(',');
            return parts.Length == 2 && int.TryParse(parts[0], out var w) && int.TryParse(parts[1], out var h) && w > 0 && h > 0
                ? (w, h)
                : throw new FormatException($"Expected -1,-1,w,h with positive w and h for a smart-crop region but received \"{Region}\"");
        }
    }
}
