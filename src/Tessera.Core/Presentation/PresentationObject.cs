namespace Tessera.Core.Presentation;

/// <summary>
/// One digitised object as the image root shows it: a folder of images (one Manifest, a Canvas per image) or a lone
/// image (a one-Canvas Manifest).
/// </summary>
/// <param name="Id">The object's path under the root: the folder (<c>maps/atlas</c>) or the image (<c>photo.jpg</c>).</param>
/// <param name="Label">What people call it: the folder's name, or the image's file name without its extension.</param>
/// <param name="Images">Image identifiers in natural order (<c>page-2</c> before <c>page-10</c>); never empty.</param>
/// <param name="IsFolder">True for a folder object, false for a lone image.</param>
public sealed record PresentationObject(string Id, string Label, IReadOnlyList<string> Images, bool IsFolder);
