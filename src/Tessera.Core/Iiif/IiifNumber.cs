using System.Globalization;

namespace Tessera.Core.Iiif;

/// <summary>
/// Strict number syntax for URI components. Pixels "MUST be non-negative integers"; percentages and rotation "MUST
/// consist only of decimal digits and '.' (e.g. 0.9 not +0.9)" (Image API 3.0 §4, §4.7). So no sign, no exponent, no
/// whitespace, no NaN/Infinity, and values too large for the pipeline are refused rather than overflowing.
/// </summary>
internal static class IiifNumber
{
    private const int MaxDecimalLength = 32;

    /// <summary>Parses ASCII digits only into an int; false on anything else or on overflow.</summary>
    public static bool TryParseInteger(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        if (text.IsEmpty)
        {
            return false;
        }

        long accumulator = 0;
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            accumulator = (accumulator * 10) + (c - '0');
            if (accumulator > int.MaxValue)
            {
                return false;
            }
        }

        value = (int)accumulator;
        return true;
    }

    /// <summary>
    /// Parses digits with at most one '.', at least one digit (<c>.5</c> and <c>5.</c> are tolerated: the spec's
    /// leading-zero and no-trailing-zero rules are SHOULDs for clients). False on anything else.
    /// </summary>
    public static bool TryParseDecimal(ReadOnlySpan<char> text, out double value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > MaxDecimalLength)
        {
            return false;
        }

        var dots = 0;
        var digits = 0;
        foreach (var c in text)
        {
            if (c == '.')
            {
                dots++;
            }
            else if (c is >= '0' and <= '9')
            {
                digits++;
            }
            else
            {
                return false;
            }
        }

        if (dots > 1 || digits == 0)
        {
            return false;
        }

        return double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }

    /// <summary>Rounds half up, as the reference implementation does (<c>int(x + 0.5)</c>), saturating at int range.</summary>
    public static int RoundHalfUp(double value)
    {
        var rounded = Math.Floor(value + 0.5);
        return rounded >= int.MaxValue ? int.MaxValue : rounded <= int.MinValue ? int.MinValue : (int)rounded;
    }

    /// <summary>
    /// The canonical text of a decimal: an integer when whole, otherwise digits and '.' with a leading 0 and no trailing
    /// zeros (Image API 3.0 §4.7).
    /// </summary>
    public static string Format(double value)
    {
        if (value == Math.Floor(value) && Math.Abs(value) < 1e15)
        {
            return ((long)value).ToString(CultureInfo.InvariantCulture);
        }

        return value.ToString("0.###############", CultureInfo.InvariantCulture);
    }

    /// <summary>Quotes a received value for an error message, cut short so a hostile URI cannot bloat the response.</summary>
    public static string Quote(string? received)
    {
        if (received is null)
        {
            return "nothing";
        }

        var shown = received.Length > 64 ? string.Concat(received.AsSpan(0, 64), "…") : received;
        return $"\"{shown}\"";
    }
}
