namespace Tessera.Core.Planning;

/// <summary>
/// The largest image the server will return (Image API 3.0 §5.3 <c>maxWidth</c>, <c>maxHeight</c>, <c>maxArea</c>).
/// Always advertised, since upscaling with <c>^</c> is offered and needs a bound.
/// </summary>
public sealed record ServerLimits(int MaxWidth = 10_000, int MaxHeight = 10_000, long MaxArea = 50_000_000)
{
    /// <summary>
    /// Whether <c>^max</c> enlarges the region up to these limits, as 3.0 §4.2 reads ("scaled to the maximum size
    /// permitted by maxWidth, maxHeight, or maxArea ... the extracted region is upscaled"). Off by default: the official
    /// image validator (size_up) expects <c>^max</c> on a 1000×1000 image to be 1000×1000, the reference implementation
    /// does the same without configured limits, and a server whose limits are always advertised would otherwise
    /// answer <c>^max</c> with a many-megapixel enlargement no viewer wants. Off, <c>^max</c> is the region at its own
    /// size, shrunk to fit the limits, like <c>max</c>.
    /// </summary>
    public bool UpscaleCaretMaxToLimits { get; init; }

    public static ServerLimits Default { get; } = new();

    /// <summary>Every problem with these limits (empty when they are valid): each must be a positive integer.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxWidth < 1)
        {
            errors.Add($"Expected a positive integer for MaxWidth but received {MaxWidth}");
        }

        if (MaxHeight < 1)
        {
            errors.Add($"Expected a positive integer for MaxHeight but received {MaxHeight}");
        }

        if (MaxArea < 1)
        {
            errors.Add($"Expected a positive integer for MaxArea but received {MaxArea}");
        }

        return errors;
    }
}
