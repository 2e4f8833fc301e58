using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tessera.Core.Iiif;
using Tessera.Core.Presentation;
using Tessera.Imaging.Pipeline;
using Tessera.Imaging.Presentation;
using Tessera.Server.Hosting;
using Tessera.Server.Http;

namespace Tessera.Server.Presentation;

/// <summary>
/// Presentation API 3.0 documents built on the fly from the image root: <c>/iiif/presentation/collection.json</c> and
/// <c>/iiif/presentation/{object path}/manifest.json</c> (see <see cref="PresentationUrls"/>), with CORS and the JSON-LD
/// media type when asked for; labels and metadata from <see cref="ManifestMetadata"/> (<c>ManifestCsv</c>) when set.
/// </summary>
public static class PresentationEndpoints
{
    /// <summary>The media type of §6.1 "Requests and responses", sent when the client's Accept header names JSON-LD.</summary>
    public const string JsonLdMediaType = "application/ld+json;profile=\"http://iiif.io/api/presentation/3/context.json\"";

    private const string Prefix = "/iiif/presentation/";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IEndpointRouteBuilder MapPresentation(this IEndpointRouteBuilder endpoints)
    {
        // A literal segment outranks the Image API's {version} parameter, so these never reach /iiif/{version}/.
        endpoints.MapMethods("/iiif/presentation/{**rest}", ["GET", "HEAD"], Handle);
        endpoints.MapMethods("/iiif/presentation/{**rest}", ["OPTIONS"], IiifHeaders.Preflight);
        return endpoints;
    }

    /// <summary>The options documents are written with for a request: its public base URL and the server's limits.</summary>
    public static PresentationOptions Options(HttpContext context, PublicUrls urls, ImagePipeline pipeline, TesseraServerOptions options) => new()
    {
        BaseUrl = urls.BaseUrl(context.Request),
        Limits = pipeline.Limits,
        ImageService2 = true,
        CollectionLabel = PresentationSource.CollectionLabel(options.Root),
    };

    private static IResult Handle(HttpContext context, ImagePipeline pipeline, PresentationSource source, PublicUrls urls, TesseraServerOptions options, ManifestMetadata metadata)
    {
        IiifHeaders.Cors(context.Response);
        var segments = RawRequestPath.Segments(context, Prefix) ?? [];
        var presentation = Options(context, urls, pipeline, options);
        JsonObject document;
        if (segments is ["collection.json"])
        {
            var listing = Access.AccessPolicy.Visible(context, source.List(context.RequestAborted));
            ListingReport.Report(context, listing);
            document = PresentationBuilder.Collection(PresentationSource.Objects(listing), presentation, metadata.Current);
        }
        else if (segments.Length >= 2 && segments[^1] == "manifest.json")
        {
            var objectId = string.Join('/', segments[..^1]);
            if (pipeline.Catalog.Resolver.IdentifierProblem(objectId) is { } problem)
            {
                return ErrorResults.From(IiifError.BadRequest("object", problem));
            }

            if (!source.Find(objectId, context.RequestAborted).TryGetValue(out var obj, out var error)
                || !source.Canvases(obj).TryGetValue(out var canvases, out error))
            {
                return ErrorResults.From(error);
            }

            document = PresentationBuilder.Manifest(obj, canvases, presentation, metadata.Current.GetValueOrDefault(obj.Id));
        }
        else
        {
            return ErrorResults.From(IiifError.NotFound(
                "path", $"Expected {Prefix}collection.json or {Prefix}{{object}}/manifest.json but received \"{context.Request.Path}\""));
        }

        Access.AccessPolicy.Decorate(context, document);
        context.Response.Headers.Vary = "Accept";
        context.Response.Headers.CacheControl = "no-cache";
        var accept = context.Request.Headers.Accept.ToString();
        var mediaType = accept.Contains("application/ld+json", StringComparison.OrdinalIgnoreCase) ? JsonLdMediaType : "application/json";
        return Results.Text(document.ToJsonString(Indented), mediaType);
    }
}
