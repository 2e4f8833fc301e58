namespace Tessera.Server.Http;

/// <summary>What an IIIF URL asks for.</summary>
public enum IiifPathKind
{
    /// <summary><c>{identifier}</c> alone: redirected to its info.json.</summary>
    Base,

    /// <summary><c>{identifier}/info.json</c>.</summary>
    Info,

    /// <summary><c>{identifier}/{region}/{size}/{rotation}/{quality}.{format}</c>.</summary>
    Image,
}
