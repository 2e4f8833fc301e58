using Tessera.Core.Planning;

namespace Tessera.Core.Presentation;

/// <summary>How Presentation documents are written.</summary>
public sealed record PresentationOptions
{
    /// <summary>Public URL of the Tessera server, no trailing slash: image services live under <c>{BaseUrl}/iiif/3/</c>.</summary>
    public required string BaseUrl { get; init; }

    /// <summary>Also list an <c>ImageService2</c> (at <c>{BaseUrl}/iiif/2/{id}</c>) beside the <c>ImageService3</c>, for 2.x-only clients.</summary>
    public bool ImageService2 { get; init; }

    /// <summary>The server's limits: the image body is <c>full/max</c>, whose size they bound.</summary>
    public ServerLimits Limits { get; init; } = ServerLimits.Default;

    /// <summary>Thumbnails are the image fitted in a square of this side (<c>!n,n</c>); default 200.</summary>
    public int ThumbnailSize { get; init; } = 200;

    /// <summary>The Collection's label; default "Tessera".</summary>
    public string CollectionLabel { get; init; } = "Tessera";
}
