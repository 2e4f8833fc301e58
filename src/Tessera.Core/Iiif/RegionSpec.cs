namespace Tessera.Core.Iiif;

/// <summary>
/// The region parameter, as written: "the rectangular portion of the underlying image content to be returned"
/// (Image API 3.0 §4.1, https://iiif.io/api/image/3.0/#41-region). The syntax is the same in 2.1 and 3.0.
/// Resolving it against an image (clipping, percent rounding, centring the square) is the planner's job.
/// </summary>
/// <param name="Kind">Which form was used.</param>
/// <param name="X">Left edge: pixels for <see cref="RegionKind.Pixels"/>, percent for <see cref="RegionKind.Percent"/>, else 0.</param>
/// <param name="Y">Top edge, as <paramref name="X"/>.</param>
/// <param name="Width">Width, as <paramref name="X"/>; always positive for pixel and percent forms.</param>
/// <param name="Height">Height, as <paramref name="X"/>; always positive for pixel and percent forms.</param>
public sealed record RegionSpec(RegionKind Kind, double X, double Y, double Width, double Height)
{
    private const string Expected = "full, square, x,y,w,h or pct:x,y,w,h";

    /// <summary><c>full</c>.</summary>
    public static RegionSpec Full { get; } = new(RegionKind.Full, 0, 0, 0, 0);

    /// <summary><c>square</c>.</summary>
    public static RegionSpec Square { get; } = new(RegionKind.Square, 0, 0, 0, 0);

    /// <summary><c>x,y,w,h</c>.</summary>
    public static RegionSpec Pixels(int x, int y, int width, int height) => new(RegionKind.Pixels, x, y, width, height);

    /// <summary><c>pct:x,y,w,h</c>.</summary>
    public static RegionSpec Percent(double x, double y, double width, double height) => new(RegionKind.Percent, x, y, width, height);

    /// <summary>
    /// Parses the region parameter. "If the requested region's height or width is zero ... the server SHOULD return a
    /// 400 (Bad Request) status code": zero sizes are refused here, regions outside the image by the planner.
    /// </summary>
    public static Outcome<RegionSpec> Parse(string? value)
    {
        switch (value)
        {
            case "full":
                return Full;
            case "square":
                return Square;
            case null or "":
                return Error(value);
        }

        var percent = value.StartsWith("pct:", StringComparison.Ordinal);
        var body = percent ? value.AsSpan(4) : value.AsSpan();
        Span<Range> parts = stackalloc Range[5];
        if (body.Split(parts, ',') != 4)
        {
            return Error(value);
        }

        Span<double> numbers = stackalloc double[4];
        for (var i = 0; i < 4; i++)
        {
            var part = body[parts[i]];
            if (percent)
            {
                if (!IiifNumber.TryParseDecimal(part, out numbers[i]))
                {
                    return Error(value);
                }
            }
            else
            {
                if (!IiifNumber.TryParseInteger(part, out var integer))
                {
                    return Error(value);
                }

                numbers[i] = integer;
            }
        }

        if (numbers[2] <= 0 || numbers[3] <= 0)
        {
            return IiifError.BadRequest("region", $"Expected a region with width and height greater than 0 for region but received {IiifNumber.Quote(value)}");
        }

        return new RegionSpec(percent ? RegionKind.Percent : RegionKind.Pixels, numbers[0], numbers[1], numbers[2], numbers[3]);
    }

    /// <summary>The parameter as it would appear in a URI.</summary>
    public override string ToString() => Kind switch
    {
        RegionKind.Full => "full",
        RegionKind.Square => "square",
        RegionKind.Pixels => $"{IiifNumber.Format(X)},{IiifNumber.Format(Y)},{IiifNumber.Format(Width)},{IiifNumber.Format(Height)}",
        _ => $"pct:{IiifNumber.Format(X)},{IiifNumber.Format(Y)},{IiifNumber.Format(Width)},{IiifNumber.Format(Height)}",
    };

    private static IiifError Error(string? value) =>
        IiifError.BadRequest("region", $"Expected {Expected} for region but received {IiifNumber.Quote(value)}");
}
