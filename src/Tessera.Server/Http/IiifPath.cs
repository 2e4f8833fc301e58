using Tessera.Core.Iiif;

namespace Tessera.Server.Http;

/// <summary>
/// Splits the raw request target of an IIIF URL (everything after <c>/iiif/{version}/</c>) into its parts, decoding
/// each segment exactly once. Working on the raw target matters: the framework's decoded path would turn a
/// double-encoded <c>%252F</c> into a slash on a second decode, or fold <c>..</c> segments before we could refuse them.
/// </summary>
public sealed record IiifPath(IiifPathKind Kind, string Identifier, string[] Parameters)
{
    /// <summary>Parses the part after the version, without query string, e.g. <c>a%2Fb.tif/full/max/0/default.jpg</c>.</summary>
    public static Outcome<IiifPath> Parse(string rawRest)
    {
        var segments = rawRest.Split('/');
        if (segments.Length == 0 || segments[0].Length == 0)
        {
            return IiifError.BadRequest("identifier", "Expected an identifier after the version but received nothing");
        }

        var decoded = new string[segments.Length];
        for (var i = 0; i < segments.Length; i++)
        {
            decoded[i] = Uri.UnescapeDataString(segments[i]);
        }

        // An identifier must encode its slashes as %2F; unencoded slashes are accepted too, the identifier then
        // being everything before the parameters, as long as no parameter could be mistaken for part of it.
        if (decoded.Length == 1 || (decoded.Length == 2 && decoded[1].Length == 0))
        {
            return new IiifPath(IiifPathKind.Base, decoded[0], []);
        }

        if (decoded[^1] == "info.json")
        {
            return new IiifPath(IiifPathKind.Info, string.Join('/', decoded[..^1]), []);
        }

        if (decoded.Length >= 5)
        {
            return new IiifPath(IiifPathKind.Image, string.Join('/', decoded[..^4]), decoded[^4..]);
        }

        return IiifError.BadRequest(
            "path",
            $"Expected {{identifier}}/info.json or {{identifier}}/{{region}}/{{size}}/{{rotation}}/{{quality}}.{{format}} but received \"{rawRest}\"");
    }
}
