namespace Tessera.Core.Tiles;

/// <summary>One static file of a level-0 tree: its IIIF region and size, and its path under the image's folder.</summary>
/// <param name="Region">The region segment, e.g. <c>0,0,512,512</c> or <c>full</c>.</param>
/// <param name="Size">The size segment, e.g. <c>256,256</c> (3.0) or <c>256,</c> (2.1).</param>
public sealed record SeedTarget(string Region, string Size)
{
    /// <summary>Rotation and quality: a static tree serves the default image only.</summary>
    public const string Tail = "0/default.jpg";

    /// <summary>The path under <c>OUT/{id}/</c>: <c>{region}/{size}/0/default.jpg</c>, the URL a client asks for.</summary>
    public string Path => $"{Region}/{Size}/{Tail}";
}
