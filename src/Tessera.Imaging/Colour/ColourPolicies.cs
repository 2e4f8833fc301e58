namespace Tessera.Imaging.Colour;

/// <summary>The one place a <see cref="ColourPolicy"/> becomes text and back: <c>convert</c> and <c>embed</c>, as settings and flags write them.</summary>
public static class ColourPolicies
{
    /// <summary>The accepted words, for error messages.</summary>
    public const string Expected = "convert or embed";

    public static bool TryParse(string? text, out ColourPolicy policy)
    {
        (var known, policy) = text switch
        {
            "convert" => (true, ColourPolicy.Convert),
            "embed" => (true, ColourPolicy.Embed),
            _ => (false, ColourPolicy.Convert),
        };
        return known;
    }

    /// <summary>The house message for a word that names no policy.</summary>
    public static string Problem(string? text, string name) => $"Expected {Expected} for {name} but received \"{text}\"";

    /// <summary>The lower-case word of a policy.</summary>
    public static string Name(this ColourPolicy policy) => policy switch
    {
        ColourPolicy.Convert => "convert",
        ColourPolicy.Embed => "embed",
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, null),
    };
}
