using Tessera.Core.Iiif;
using Tessera.Core.Presentation;
using Tessera.Imaging.Sources;

namespace Tessera.Imaging.Presentation;

/// <summary>
/// The objects under an image root and the facts their Manifests need, read through the same <see cref="SourceCatalog"/>
/// as the Image API (so sizes are the displayed, EXIF-oriented ones, and each file is inspected once). Shared by the
/// server, which builds documents on the fly, and <c>tessera manifest</c>, which writes them to files.
/// </summary>
public sealed class PresentationSource(SourceCatalog catalog)
{
    /// <summary>The label of the Collection of the objects under a root folder: the folder's name.</summary>
    public static string CollectionLabel(string root) => Storage.RemoteSources.IsRemote(root)
        ? root.TrimEnd('/').Split('/').Last(s => s.Length > 0)
        : new DirectoryInfo(Path.TrimEndingDirectorySeparator(Path.GetFullPath(root))).Name;

    /// <summary>The identifiers under the root: one bounded walk (see <see cref="ISourceResolver.List"/>), which may be truncated.</summary>
    public SourceListing List(CancellationToken cancellationToken = default) => catalog.Resolver.List(cancellationToken);

    /// <summary>The objects of a <paramref name="listing"/>, in natural order.</summary>
    public static IReadOnlyList<PresentationObject> Objects(SourceListing listing) => ObjectGrouping.Group(listing, NaturalStringComparer.Instance);

    /// <summary>Every object under the root, in natural order (as far as the listing's bounds reach).</summary>
    public IReadOnlyList<PresentationObject> Objects(CancellationToken cancellationToken = default) => Objects(List(cancellationToken));

    /// <summary>The object with this id, or 404 (which says so when the listing was cut short before finding it).</summary>
    public Outcome<PresentationObject> Find(string objectId, CancellationToken cancellationToken = default)
    {
        var listing = List(cancellationToken);
        var found = Objects(listing).FirstOrDefault(o => string.Equals(o.Id, objectId, StringComparison.Ordinal));
        return found is not null ? found
            : listing.Truncated is { } truncated ? IiifError.NotFound("object", $"No object with id \"{objectId}\" in a listing cut short: {truncated}")
            : IiifError.NotFound("object", $"No object with id \"{objectId}\"");
    }

    /// <summary>
    /// Canvases made of one multi-page source at most: a PDF of 10,000 pages lists its first 100 (each page is
    /// inspected, a header read by poppler, to size its Canvas: about 50 ms a page in a 10,000-page PDF, as poppler
    /// reads the document's cross-reference table on each open), and its pages stay addressable past them.
    /// </summary>
    public const int MaxPagesPerSource = 100;

    /// <summary>
    /// The canvases of an object: each readable image with its size, and each page of a multi-page source (PDF, TIFF
    /// of several images, HEIF of several images) in order as a Canvas of its own, up to
    /// <see cref="MaxPagesPerSource"/>. Unreadable images are left out and reported in
    /// <paramref name="skipped"/>; an object with none readable is an error (the first image's).
    /// </summary>
    public Outcome<IReadOnlyList<CanvasImage>> Canvases(PresentationObject obj, List<IiifError>? skipped = null)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var canvases = new List<CanvasImage>();
        IiifError? first = null;
        foreach (var identifier in obj.Images)
        {
            if (catalog.Describe(identifier).TryGetValue(out var source, out var error))
            {
                canvases.Add(Canvas(identifier, source));
                for (var page = 2; page <= Math.Min(source.PageCount, MaxPagesPerSource); page++)
                {
                    var pageIdentifier = PageIdentifier.Of(identifier, page);
                    if (catalog.Describe(pageIdentifier).TryGetValue(out var pageSource, out var pageError))
                    {
                        canvases.Add(Canvas(pageIdentifier, pageSource));
                    }
                    else
                    {
                        skipped?.Add(pageError);
                    }
                }
            }
            else
            {
                first ??= error;
                skipped?.Add(error);
            }
        }

        return canvases.Count == 0 && first is not null ? first : canvases;
    }

    /// <summary>A page's Canvas: labelled by its page's name (a slide's "label") or else its number when the source has several.</summary>
    private static CanvasImage Canvas(string identifier, SourceDescription source)
    {
        var name = ObjectGrouping.StripExtension(identifier[..(identifier.Length - (source.Page > 0 ? $";{source.Page + 1}".Length : 0))]);
        var label = source.PageName is { } pageName ? $"{name}, {pageName}"
            : source.PageCount > 1 ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{name}, page {source.Page + 1}")
            : null;
        return new CanvasImage(identifier, source.Info.Width, source.Info.Height) { Label = label, Properties = source.Properties };
    }
}
