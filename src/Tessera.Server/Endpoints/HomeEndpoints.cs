using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tessera.Imaging.Pipeline;

namespace Tessera.Server.Endpoints;

/// <summary>The plain page at <c>/</c>: every image under the root with links to its info.json and a preview.</summary>
public static class HomeEndpoints
{
    public static IEndpointRouteBuilder MapHome(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", (ImagePipeline pipeline) => Results.Content(Page(pipeline.Catalog.Resolver.List()), "text/html; charset=utf-8"));
        endpoints.MapGet("/healthz", () => Results.Text("ok\n"));
        return endpoints;
    }

    private static string Page(IEnumerable<string> identifiers)
    {
        var html = new StringBuilder();
        html.Append("""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Tessera</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}li{margin:.5rem 0;display:flex;gap:1rem;align-items:center}
            img{width:96px;height:96px;object-fit:contain;background:#eee}code{font-size:.9em}</style></head>
            <body><h1>Tessera</h1><p>IIIF Image API 3.0 and 2.1. Images under the root:</p><ul>
            """);
        var count = 0;
        foreach (var id in identifiers)
        {
            var escaped = Uri.EscapeDataString(id);
            var text = WebUtility.HtmlEncode(id);
            html.Append(
                $"<li><img loading=\"lazy\" alt=\"\" src=\"iiif/3/{escaped}/full/!96,96/0/default.jpg\"><span><code>{text}</code><br>" +
                $"<a href=\"iiif/3/{escaped}/info.json\">info.json (3.0)</a> · <a href=\"iiif/2/{escaped}/info.json\">info.json (2.1)</a> · " +
                $"<a href=\"iiif/3/{escaped}/full/max/0/default.jpg\">full image</a></span></li>\n");
            count++;
        }

        if (count == 0)
        {
            html.Append("<li>No images found.</li>");
        }

        html.Append("</ul></body></html>\n");
        return html.ToString();
    }
}
