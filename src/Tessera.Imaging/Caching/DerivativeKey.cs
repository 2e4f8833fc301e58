using System.Security.Cryptography;
using System.Text;
using Tessera.Core.Planning;
using Tessera.Imaging.Sources;

namespace Tessera.Imaging.Caching;

/// <summary>
/// The key of a derivative: identifier, source version and the plan's canonical form. Requests that mean the same
/// image (<c>full/max</c> and <c>0,0,w,h/max</c>, 2.1 and 3.0 syntax) share it; a replaced source changes it.
/// </summary>
public static class DerivativeKey
{
    public static string Of(ImagePlan plan, SourceDescription source) => $"{plan.Identifier}\n{source.Source.Version}\n{plan.CacheKey}";

    /// <summary>The identifier a key belongs to.</summary>
    public static string IdentifierOf(string key) => key[..key.IndexOf('\n', StringComparison.Ordinal)];

    /// <summary>A strong HTTP entity tag for the derivative: the same bytes for the same key, across restarts and servers.</summary>
    public static string ETag(string key) => $"\"{Hash(key)[..32]}\"";

    /// <summary>Lower-case hex SHA-256 of the text.</summary>
    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
