namespace Tessera.Core.Planning;

/// <summary>
/// The largest image the server will return (Image API 3.0 §5.3 <c>maxWidth</c>, <c>maxHeight</c>, <c>maxArea</c>).
/// Always advertised, since upscaling with <c>^</c> is offered and needs a bound.
/// </summary>
public sealed record ServerLimits(int MaxWidth = 10_000, int MaxHeight = 10_000, long MaxArea = 50_000_000)
{
    public static ServerLimits Default { get; } = new();
}
