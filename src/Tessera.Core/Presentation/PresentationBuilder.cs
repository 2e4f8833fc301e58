using System.Text.Json.Nodes;
using Tessera.Core.Planning;

namespace Tessera.Core.Presentation;

/// <summary>
/// Writes IIIF Presentation API 3.0 documents (https://iiif.io/api/presentation/3.0/): a Manifest per object and a
/// Collection listing them. Each Canvas has the size of its image and one painting Annotation whose body is the image
/// (jpg, <c>full/max</c>) with its Image API service, so viewers can deep-zoom it.
/// </summary>
public static class PresentationBuilder
{
    /// <summary>The Presentation 3 context URI.</summary>
    public const string Context = "http://iiif.io/api/presentation/3/context.json";

    /// <summary>
    /// A Manifest (§5.3) for one object. <paramref name="images"/> are the object's readable images in canvas order;
    /// <paramref name="metadata"/> comes from the CSV, if any.
    /// </summary>
    public static JsonObject Manifest(PresentationObject obj, IReadOnlyList<CanvasImage> images, PresentationOptions options, DescriptiveMetadata? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(options);
        var urls = new PresentationUrls(options.BaseUrl);
        var manifest = new JsonObject
        {
            ["@context"] = Context,
            ["id"] = urls.Manifest(obj.Id),
            ["type"] = "Manifest",
            ["label"] = Text(metadata?.Label ?? obj.Label),
        };
        Describe(manifest, metadata);
        if (images.FirstOrDefault(i => i.Properties.Count > 0) is { } described)
        {
            // The source's own facts (a slide's scanner, resolution) follow what the CSV says of the object.
            var pairs = manifest["metadata"] as JsonArray ?? [];
            foreach (var (label, value) in described.Properties)
            {
                pairs.Add(Pair(label, value));
            }

            manifest["metadata"] = pairs;
        }

        if (images.Count > 0)
        {
            manifest["thumbnail"] = new JsonArray(Thumbnail(images[0].Identifier, urls, options));
        }

        var canvases = new JsonArray();
        for (var i = 0; i < images.Count; i++)
        {
            canvases.Add(Canvas(urls.Canvas(obj.Id, i + 1), images[i], urls, options));
        }

        manifest["items"] = canvases;
        return manifest;
    }

    /// <summary>A Collection (§5.2) referring to each object's Manifest, with its label and thumbnail.</summary>
    public static JsonObject Collection(IEnumerable<PresentationObject> objects, PresentationOptions options, IReadOnlyDictionary<string, DescriptiveMetadata>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(objects);
        ArgumentNullException.ThrowIfNull(options);
        var urls = new PresentationUrls(options.BaseUrl);
        var items = new JsonArray();
        foreach (var obj in objects)
        {
            var described = metadata is not null && metadata.TryGetValue(obj.Id, out var d) ? d : null;
            var reference = new JsonObject
            {
                ["id"] = urls.Manifest(obj.Id),
                ["type"] = "Manifest",
                ["label"] = Text(described?.Label ?? obj.Label),
            };
            if (obj.Images.Count > 0)
            {
                reference["thumbnail"] = new JsonArray(Thumbnail(obj.Images[0], urls, options));
            }

            items.Add(reference);
        }

        return new JsonObject
        {
            ["@context"] = Context,
            ["id"] = urls.Collection,
            ["type"] = "Collection",
            ["label"] = Text(options.CollectionLabel),
            ["items"] = items,
        };
    }

    private static JsonObject Canvas(string id, CanvasImage image, PresentationUrls urls, PresentationOptions options)
    {
        var service = urls.ImageService(image.Identifier);

        // The body is what full/max returns: the whole image unless the server's limits make it smaller.
        var (width, height) = SizeMath.FitWithin(image.Width, image.Height, options.Limits, upscale: false);
        var body = new JsonObject
        {
            ["id"] = $"{service}/full/max/0/default.jpg",
            ["type"] = "Image",
            ["format"] = "image/jpeg",
            ["width"] = width,
            ["height"] = height,
            ["service"] = Services(image.Identifier, urls, options),
        };
        var annotation = new JsonObject
        {
            ["id"] = $"{id}/page/painting",
            ["type"] = "Annotation",
            ["motivation"] = "painting",
            ["body"] = body,
            ["target"] = id,
        };
        return new JsonObject
        {
            ["id"] = id,
            ["type"] = "Canvas",
            ["label"] = Text(image.Label ?? ObjectGrouping.StripExtension(image.Identifier)),
            ["width"] = image.Width,
            ["height"] = image.Height,
            ["thumbnail"] = new JsonArray(Thumbnail(image.Identifier, urls, options)),
            ["items"] = new JsonArray(new JsonObject
            {
                ["id"] = $"{id}/page",
                ["type"] = "AnnotationPage",
                ["items"] = new JsonArray(annotation),
            }),
        };
    }

    private static JsonObject Thumbnail(string identifier, PresentationUrls urls, PresentationOptions options) => new()
    {
        ["id"] = $"{urls.ImageService(identifier)}/full/!{options.ThumbnailSize},{options.ThumbnailSize}/0/default.jpg",
        ["type"] = "Image",
        ["format"] = "image/jpeg",
        ["service"] = Services(identifier, urls, options),
    };

    /// <summary>§3.2 <c>service</c>: the 3.0 form (<c>id</c>/<c>type</c>) and, when asked, the 2.x form (<c>@id</c>/<c>@type</c>).</summary>
    private static JsonArray Services(string identifier, PresentationUrls urls, PresentationOptions options)
    {
        var services = new JsonArray(new JsonObject
        {
            ["id"] = urls.ImageService(identifier),
            ["type"] = "ImageService3",
            ["profile"] = "level2",
        });
        if (options.ImageService2)
        {
            services.Add(new JsonObject
            {
                ["@id"] = urls.ImageService(identifier, 2),
                ["@type"] = "ImageService2",
                ["profile"] = "http://iiif.io/api/image/2/level2.json",
            });
        }

        return services;
    }

    private static void Describe(JsonObject resource, DescriptiveMetadata? metadata)
    {
        if (metadata is null)
        {
            return;
        }

        if (metadata.Summary is { } summary)
        {
            resource["summary"] = Text(summary);
        }

        if (metadata.Metadata is { Count: > 0 } pairs)
        {
            resource["metadata"] = new JsonArray([.. pairs.Select(p => (JsonNode)Pair(p.Key, p.Value))]);
        }

        if (metadata.Rights is { } rights)
        {
            resource["rights"] = rights;
        }

        if (metadata.RequiredStatement is { } statement)
        {
            resource["requiredStatement"] = Pair("Attribution", statement);
        }

        if (metadata.NavDate is { } navDate)
        {
            resource["navDate"] = navDate;
        }
    }

    private static JsonObject Pair(string label, string value) => new() { ["label"] = Text(label), ["value"] = Text(value) };

    /// <summary>
    /// §4.3 language maps. The language of names and CSV cells is not known: "If the language is not known, the
    /// language code none MUST be used".
    /// </summary>
    private static JsonObject Text(string value) => new() { ["none"] = new JsonArray(value) };
}
