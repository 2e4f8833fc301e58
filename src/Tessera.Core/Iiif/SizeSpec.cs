namespace Tessera.Core.Iiif;

/// <summary>
/// The size parameter, as written: "the dimensions to which the extracted region ... is to be scaled"
/// (Image API 3.0 §4.2, https://iiif.io/api/image/3.0/#42-size; 2.1 §4.2). The two versions differ: 3.0 drops
/// <c>full</c>, caps <c>pct:n</c> at 100 and adds the <c>^</c> prefix ("Sizes prefixed with ^ allow upscaling");
/// 2.1 has no <c>^</c> and lets any form scale above the region ("The image server MAY support scaling above the full
/// size of the extracted region").
/// </summary>
/// <param name="Kind">Which form was used.</param>
/// <param name="Width">The requested width for <c>w,</c>, <c>w,h</c> and <c>!w,h</c>, else 0.</param>
/// <param name="Height">The requested height for <c>,h</c>, <c>w,h</c> and <c>!w,h</c>, else 0.</param>
/// <param name="Percent">n of <c>pct:n</c>, else 0.</param>
/// <param name="Upscale">3.0's <c>^</c> prefix; always false in 2.1.</param>
public sealed record SizeSpec(SizeKind Kind, int Width = 0, int Height = 0, double Percent = 0, bool Upscale = false)
{
    /// <summary>3.0 <c>max</c> / 2.1 <c>max</c>.</summary>
    public static SizeSpec Max { get; } = new(SizeKind.Max);

    /// <summary>2.1 <c>full</c>.</summary>
    public static SizeSpec Full { get; } = new(SizeKind.Full);

    /// <summary><c>!w,h</c> (or <c>^!w,h</c>).</summary>
    public static SizeSpec BestFit(int width, int height, bool upscale = false) => new(SizeKind.BestFit, width, height, 0, upscale);

    /// <summary>Parses the size parameter for the given API version.</summary>
    public static Outcome<SizeSpec> Parse(ApiVersion version, string? value) =>
        version == ApiVersion.V2 ? ParseV2(value) : ParseV3(value);

    /// <summary>The parameter as it would appear in a URI.</summary>
    public override string ToString()
    {
        var caret = Upscale ? "^" : "";
        return Kind switch
        {
            SizeKind.Full => "full",
            SizeKind.Max => caret + "max",
            SizeKind.Width => $"{caret}{Width},",
            SizeKind.Height => $"{caret},{Height}",
            SizeKind.Percent => $"{caret}pct:{IiifNumber.Format(Percent)}",
            SizeKind.Exact => $"{caret}{Width},{Height}",
            _ => $"{caret}!{Width},{Height}",
        };
    }

    private static Outcome<SizeSpec> ParseV3(string? value)
    {
        const string expected = "max, w,, ,h, pct:n, w,h or !w,h, optionally prefixed with ^,";
        if (string.IsNullOrEmpty(value))
        {
            return Error(expected, value);
        }

        var upscale = value[0] == '^';
        var body = upscale ? value[1..] : value;
        var parsed = ParseBody(body, allowFull: false, upscale);
        if (parsed is null)
        {
            return Error(expected, value);
        }

        // "pct:n ... The value of n MUST NOT be greater than 100." Only ^pct:n may exceed it.
        if (parsed.Kind == SizeKind.Percent && parsed.Percent > 100 && !upscale)
        {
            return IiifError.BadRequest("size", $"Expected pct:n with n at most 100 (use ^pct:n to upscale) for size but received {IiifNumber.Quote(value)}");
        }

        return Checked(parsed, value);
    }

    private static Outcome<SizeSpec> ParseV2(string? value)
    {
        const string expected = "full, max, w,, ,h, pct:n, w,h or !w,h";
        var parsed = string.IsNullOrEmpty(value) ? null : ParseBody(value, allowFull: true, upscale: false);
        return parsed is null ? Error(expected, value) : Checked(parsed, value);
    }

    private static SizeSpec? ParseBody(string body, bool allowFull, bool upscale)
    {
        switch (body)
        {
            case "max":
                return new SizeSpec(SizeKind.Max, Upscale: upscale);
            case "full" when allowFull:
                return Full;
        }

        if (body.StartsWith("pct:", StringComparison.Ordinal))
        {
            return IiifNumber.TryParseDecimal(body.AsSpan(4), out var percent)
                ? new SizeSpec(SizeKind.Percent, Percent: percent, Upscale: upscale)
                : null;
        }

        var bang = body.StartsWith('!');
        var pair = bang ? body.AsSpan(1) : body.AsSpan();
        var comma = pair.IndexOf(',');
        if (comma < 0 || pair[(comma + 1)..].Contains(','))
        {
            return null;
        }

        var left = pair[..comma];
        var right = pair[(comma + 1)..];
        var hasWidth = IiifNumber.TryParseInteger(left, out var width);
        var hasHeight = IiifNumber.TryParseInteger(right, out var height);
        if ((!hasWidth && !left.IsEmpty) || (!hasHeight && !right.IsEmpty))
        {
            return null;
        }

        return (hasWidth, hasHeight, bang) switch
        {
            (true, true, true) => new SizeSpec(SizeKind.BestFit, width, height, 0, upscale),
            (true, true, false) => new SizeSpec(SizeKind.Exact, width, height, 0, upscale),
            (true, false, false) => new SizeSpec(SizeKind.Width, width, 0, 0, upscale),
            (false, true, false) => new SizeSpec(SizeKind.Height, 0, height, 0, upscale),
            _ => null,
        };
    }

    private static Outcome<SizeSpec> Checked(SizeSpec spec, string? value)
    {
        var zero = spec.Kind switch
        {
            SizeKind.Width => spec.Width == 0,
            SizeKind.Height => spec.Height == 0,
            SizeKind.Exact or SizeKind.BestFit => spec.Width == 0 || spec.Height == 0,
            SizeKind.Percent => spec.Percent <= 0,
            _ => false,
        };
        return zero
            ? IiifError.BadRequest("size", $"Expected a size greater than 0 for size but received {IiifNumber.Quote(value)}")
            : spec;
    }

    private static IiifError Error(string expected, string? value) =>
        IiifError.BadRequest("size", $"Expected {expected} for size but received {IiifNumber.Quote(value)}");
}
