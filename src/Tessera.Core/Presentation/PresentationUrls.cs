namespace Tessera.Core.Presentation;

/// <summary>
/// Where each Presentation resource lives. Documents are under <c>{base}/iiif/presentation/</c>: the Collection at
/// <c>collection.json</c>, a Manifest at <c>{object path}/manifest.json</c> (each path segment percent-encoded, slashes
/// kept: <c>maps/atlas/manifest.json</c>). Canvases, pages and annotations get ids under their Manifest's folder.
/// </summary>
public sealed class PresentationUrls(string baseUrl)
{
    /// <summary>The prefix of every Presentation document, e.g. <c>https://example.org/iiif/presentation</c>.</summary>
    public string Root { get; } = (baseUrl ?? throw new ArgumentNullException(nameof(baseUrl))).TrimEnd('/') + "/iiif/presentation";

    /// <summary>The server's base URL, no trailing slash.</summary>
    public string BaseUrl { get; } = baseUrl.TrimEnd('/');

    public string Collection => $"{Root}/collection.json";

    /// <summary>The Manifest's URL relative to <see cref="Root"/>: <c>maps/atlas/manifest.json</c>.</summary>
    public static string ManifestPath(string objectId) =>
        string.Join('/', (objectId ?? throw new ArgumentNullException(nameof(objectId))).Split('/').Select(Uri.EscapeDataString)) + "/manifest.json";

    public string Manifest(string objectId) => $"{Root}/{ManifestPath(objectId)}";

    public string Canvas(string objectId, int index) => $"{ObjectRoot(objectId)}/canvas/{index}";

    /// <summary>The Image API 3.0 service of an image, e.g. <c>{base}/iiif/3/maps%2Fatlas%2Fp1.tif</c>.</summary>
    public string ImageService(string identifier, int version = 3) => $"{BaseUrl}/iiif/{version}/{Uri.EscapeDataString(identifier)}";

    private string ObjectRoot(string objectId) => $"{Root}/{ManifestPath(objectId)[..^"/manifest.json".Length]}";
}
