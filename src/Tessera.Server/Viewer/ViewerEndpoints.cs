using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tessera.Core.Iiif;
using Tessera.Core.Presentation;
using Tessera.Imaging.Pipeline;
using Tessera.Imaging.Sources;
using Tessera.Server.Http;
using Tessera.Imaging.Presentation;

namespace Tessera.Server.Viewer;

/// <summary>
/// The pages people open: <c>/</c> lists the objects and images under the root (searchable, with thumbnails),
/// <c>/view/{identifier}</c> deep-zooms one image in OpenSeadragon (its IIIF 3.0 info.json as tile source; for a protected
/// image the page runs the IIIF Auth 2.0 client flow, <c>view.js</c>, so it is served to everyone who may know the image
/// exists and shows no pixels itself), and
/// <c>/mirador/{object}</c> opens an object's Manifest in Mirador. Their scripts are served from <c>/viewer/</c>.
/// </summary>
public static class ViewerEndpoints
{
    public static IEndpointRouteBuilder MapViewer(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", Home);
        endpoints.MapGet("/view/{**identifier}", View);
        endpoints.MapGet("/mirador/{**object}", Mirador);
        endpoints.MapGet("/viewer/{**name}", (HttpContext context, string? name) =>
        {
            context.Response.Headers.CacheControl = "public, max-age=3600";
            return ViewerAssets.Serve(name);
        });
        return endpoints;
    }

    private static IResult Home(HttpContext context, PresentationSource source)
    {
        // One bounded walk for both lists; it stops when the client goes away.
        var images = Access.AccessPolicy.Visible(context, source.List(context.RequestAborted));
        var objects = PresentationSource.Objects(images);
        ListingReport.Report(context, images);
        var html = new StringBuilder();
        Head(html, context, "Tessera");
        html.Append("<header><h1>Tessera</h1>")
            .Append("<input id=\"search\" type=\"search\" placeholder=\"Search by name\" aria-label=\"Search by name\" autofocus>")
            .Append("<span id=\"count\"></span>")
            .Append("<a href=\"iiif/presentation/collection.json\">collection.json</a></header><main>");
        if (images.Truncated is { } truncated)
        {
            html.Append("<p class=\"truncated\">Not everything is listed: ").Append(WebUtility.HtmlEncode(truncated)).Append(".</p>");
        }

        html.Append("<h2>Objects</h2><ul class=\"grid\" id=\"objects\">");
        foreach (var obj in objects.Where(o => o.IsFolder))
        {
            var manifest = "iiif/presentation/" + PresentationUrls.ManifestPath(obj.Id);
            html.Append(Card(
                obj.Id,
                obj.Images[0],
                $"mirador/{PathOf(obj.Id)}",
                obj.Id,
                $"{obj.Images.Count} image{(obj.Images.Count == 1 ? "" : "s")} · <a href=\"mirador/{PathOf(obj.Id)}\">Mirador</a> · <a href=\"{manifest}\">manifest</a>"));
        }

        if (!objects.Any(o => o.IsFolder))
        {
            html.Append("<li class=\"empty\">No folders of images.</li>");
        }

        html.Append("</ul><h2>Images</h2><ul class=\"grid\" id=\"images\">");
        foreach (var id in images)
        {
            var e = Uri.EscapeDataString(id);
            var manifest = id.Contains('/', StringComparison.Ordinal) ? null : "iiif/presentation/" + PresentationUrls.ManifestPath(id);
            html.Append(Card(
                id,
                id,
                $"view/{e}",
                id,
                $"<a href=\"view/{e}\">view</a> · <a href=\"iiif/3/{e}/info.json\">info.json (3.0)</a> · <a href=\"iiif/2/{e}/info.json\">info.json (2.1)</a> · " +
                (manifest is null ? "" : $"<a href=\"mirador/{PathOf(id)}\">Mirador</a> · ") +
                $"<a href=\"deepzoom/{e}.dzi\">DZI</a> · <a href=\"zoomify/{e}/ImageProperties.xml\">Zoomify</a>"));
        }

        if (images.Count == 0)
        {
            html.Append("<li class=\"empty\">No images found.</li>");
        }

        html.Append("</ul></main><script src=\"viewer/home.js\"></script></body></html>\n");
        return Html(html);
    }

    private static IResult View(HttpContext context, ImagePipeline pipeline)
    {
        var identifier = string.Join('/', RawRequestPath.Segments(context, "/view/") ?? []);
        if (!Describe(pipeline, identifier).TryGetValue(out _, out var error))
        {
            return ErrorResults.From(error);
        }

        var html = new StringBuilder();
        Head(html, context, identifier);
        html.Append("<div class=\"frame\"><nav><a href=\"").Append(Root(context)).Append("\">Tessera</a><strong>").Append(WebUtility.HtmlEncode(identifier)).Append("</strong>")
            .Append("<button type=\"button\" id=\"logout\" hidden>Log out</button></nav>")
            .Append("<section id=\"auth\" class=\"auth\" aria-live=\"polite\" hidden></section>")
            .Append("<div class=\"stage\" id=\"viewer\" data-images=\"").Append(Root(context)).Append("viewer/openseadragon/images/\" data-info=\"")
            .Append(Root(context)).Append("iiif/3/").Append(Uri.EscapeDataString(identifier)).Append("/info.json\"></div></div>")
            .Append("<script src=\"").Append(Root(context)).Append("viewer/openseadragon/openseadragon.min.js\"></script>")
            .Append("<script src=\"").Append(Root(context)).Append("viewer/view.js\"></script></body></html>\n");
        return Html(html);
    }

    private static IResult Mirador(HttpContext context, PresentationSource source, ImagePipeline pipeline)
    {
        var objectId = string.Join('/', RawRequestPath.Segments(context, "/mirador/") ?? []).TrimEnd('/');
        if (pipeline.Catalog.Resolver.IdentifierProblem(objectId) is { } problem)
        {
            return ErrorResults.From(IiifError.BadRequest("object", problem));
        }

        if (!source.Find(objectId, context.RequestAborted).TryGetValue(out var obj, out var error))
        {
            return ErrorResults.From(error);
        }

        var html = new StringBuilder();
        Head(html, context, obj.Label);
        html.Append("<div class=\"frame\"><nav><a href=\"").Append(Root(context)).Append("\">Tessera</a><strong>").Append(WebUtility.HtmlEncode(obj.Label)).Append("</strong></nav>")
            .Append("<div class=\"stage\"><div id=\"mirador\" data-manifest=\"").Append(Root(context)).Append("iiif/presentation/")
            .Append(WebUtility.HtmlEncode(PresentationUrls.ManifestPath(obj.Id))).Append("\"></div></div></div>")
            .Append("<script src=\"").Append(Root(context)).Append("viewer/mirador/mirador.min.js\"></script>")
            .Append("<script src=\"").Append(Root(context)).Append("viewer/mirador.js\"></script></body></html>\n");
        return Html(html);
    }

    private static string Card(string name, string thumbnailId, string href, string label, string links) =>
        $"<li class=\"card\" data-name=\"{WebUtility.HtmlEncode(name.ToLowerInvariant())}\"><a href=\"{href}\">" +
        $"<img loading=\"lazy\" alt=\"\" src=\"iiif/3/{Uri.EscapeDataString(thumbnailId)}/full/!200,200/0/default.jpg\"></a>" +
        $"<span class=\"name\">{WebUtility.HtmlEncode(label)}</span><span class=\"links\">{links}</span></li>\n";

    private static void Head(StringBuilder html, HttpContext context, string title) =>
        html.Append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(WebUtility.HtmlEncode(title))
            .Append("</title><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<link rel=\"stylesheet\" href=\"").Append(Root(context)).Append("viewer/tessera.css\"></head><body>");

    /// <summary>The application's root path with a trailing slash, so pages under /view/ and /mirador/ find the assets.</summary>
    private static string Root(HttpContext context) => WebUtility.HtmlEncode((context.Request.PathBase.Value ?? string.Empty) + "/");

    private static string PathOf(string id) => string.Join('/', id.Split('/').Select(Uri.EscapeDataString));

    private static Outcome<SourceDescription> Describe(ImagePipeline pipeline, string identifier) =>
        pipeline.Catalog.Resolver.IdentifierProblem(identifier) is { } problem
            ? IiifError.BadRequest("identifier", problem)
            : pipeline.Catalog.Describe(identifier);

    private static IResult Html(StringBuilder html) => Results.Content(html.ToString(), "text/html; charset=utf-8");
}
