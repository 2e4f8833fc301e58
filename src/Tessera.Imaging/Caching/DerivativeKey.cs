using System.Security.Cryptography;
using System.Text;
using Tessera.Core.Planning;
using Tessera.Imaging.Colour;
using Tessera.Imaging.Sources;

namespace Tessera.Imaging.Caching;

/// <summary>
/// The key of a derivative: identifier, source version and the plan's canonical form. Requests that mean the same
/// image (<c>full/max</c> and <c>0,0,w,h/max</c>, 2.1 and 3.0 syntax) share it; a replaced source changes it.
/// </summary>
public static class DerivativeKey
{
    /// <param name="plan">The plan; its canonical form names the derivative.</param>
    /// <param name="source">The source; its version is part of the key.</param>
    /// <param name="colour">
    /// The server's colour policy: for a source whose profile is not sRGB, embedding and converting give other bytes,
    /// so a cache kept across a change of policy never answers with the other one.
    /// </param>
    /// <remarks>
    /// A plan with redactions (<see cref="ImagePlan.Redactions"/>) has them in its key: derivatives cached before a box
    /// was added to the access rules (in a disk or shared cache that outlives the server) are never served after it.
    /// </remarks>
    public static string Of(ImagePlan plan, SourceDescription source, ColourPolicy colour = ColourPolicy.Convert)
    {
        var key = colour == ColourPolicy.Embed && !source.IsSrgb
            ? $"{plan.Identifier}\n{source.Source.Version}\n{plan.CacheKey}\nembed"
            : $"{plan.Identifier}\n{source.Source.Version}\n{plan.CacheKey}";
        return plan.Redactions.Count == 0 ? key : key + "\nredact=" + string.Join(';', plan.Redactions);
    }

    /// <summary>The identifier a key belongs to.</summary>
    public static string IdentifierOf(string key) => key[..key.IndexOf('\n', StringComparison.Ordinal)];

    /// <summary>A strong HTTP entity tag for the derivative: the same bytes for the same key, across restarts and servers.</summary>
    public static string ETag(string key) => $"\"{Hash(key)[..32]}\"";

    /// <summary>Lower-case hex SHA-256 of the text.</summary>
    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
