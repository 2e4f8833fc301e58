namespace Tessera.Core.Presentation;

/// <summary>
/// Groups the image identifiers under a root into objects: the images directly inside a folder make one object, and
/// an image directly under the root is an object of its own. A folder holding both images and sub-folders is one
/// object for its own images; each sub-folder with images is another.
/// </summary>
public static class ObjectGrouping
{
    /// <summary>The objects, ordered by id with <paramref name="order"/>; each object's images also in that order.</summary>
    public static IReadOnlyList<PresentationObject> Group(IEnumerable<string> identifiers, IComparer<string> order)
    {
        ArgumentNullException.ThrowIfNull(identifiers);
        ArgumentNullException.ThrowIfNull(order);
        var folders = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var objects = new List<PresentationObject>();
        foreach (var identifier in identifiers)
        {
            var slash = identifier.LastIndexOf('/');
            if (slash < 0)
            {
                objects.Add(new PresentationObject(identifier, StripExtension(identifier), [identifier], IsFolder: false));
                continue;
            }

            var folder = identifier[..slash];
            if (!folders.TryGetValue(folder, out var images))
            {
                folders[folder] = images = [];
            }

            images.Add(identifier);
        }

        foreach (var (folder, images) in folders)
        {
            images.Sort(order);
            objects.Add(new PresentationObject(folder, folder[(folder.LastIndexOf('/') + 1)..], images, IsFolder: true));
        }

        objects.Sort((a, b) => order.Compare(a.Id, b.Id));
        return objects;
    }

    /// <summary>The file name of an identifier without folder or extension: <c>a/page-2.tif</c> gives <c>page-2</c>.</summary>
    public static string StripExtension(string identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        var name = identifier[(identifier.LastIndexOf('/') + 1)..];
        var dot = name.LastIndexOf('.');
        return dot > 0 ? name[..dot] : name;
    }
}
