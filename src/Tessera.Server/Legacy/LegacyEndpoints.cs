using Tessera.Core.Tiles;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Core.Iiif;
using Tessera.Core.Planning;
using Tessera.Imaging.Pipeline;
using Tessera.Imaging.Sources;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.Server.Http;
using Tessera.Server.Operations.Metrics;

namespace Tessera.Server.Legacy;

/// <summary>
/// Deep Zoom (<c>/deepzoom/{id}.dzi</c>, <c>/deepzoom/{id}_files/{level}/{col}_{row}.jpg</c>) and Zoomify
/// (<c>/zoomify/{id}/ImageProperties.xml</c>, <c>/zoomify/{id}/TileGroup{n}/{tier}-{col}-{row}.jpg</c>) for legacy
/// viewers. Every tile is an ordinary IIIF request (<c>x,y,w,h/w,h/0/default.jpg</c>) run through the shared pipeline,
/// so it is planned, limited, cached and rendered exactly like the Image API's tiles.
/// </summary>
public static class LegacyEndpoints
{
    public static IEndpointRouteBuilder MapLegacyTiles(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/deepzoom/{**rest}", ["GET", "HEAD"], DeepZoom);
        endpoints.MapMethods("/zoomify/{**rest}", ["GET", "HEAD"], Zoomify);
        if (endpoints.ServiceProvider.GetRequiredService<TesseraServerOptions>().IipPath is { Length: > 0 } iipPath)
        {
            IipEndpoints.Map(endpoints, iipPath);
        }

        return endpoints;
    }

    private static async Task<IResult> DeepZoom(HttpContext context, ImagePipeline pipeline, TesseraServerOptions options, TesseraMetrics metrics)
    {
        IiifHeaders.Cors(context.Response);
        var path = string.Join('/', RawRequestPath.Segments(context, "/deepzoom/") ?? []);
        if (path.EndsWith(".dzi", StringComparison.Ordinal))
        {
            var identifier = path[..^4];
            if (!Describe(pipeline, identifier).TryGetValue(out var source, out var error))
            {
                return ErrorResults.From(error);
            }

            Cache(context.Response, options);
            return Results.Text(new DeepZoomGeometry(source.Info.Width, source.Info.Height).Descriptor(), "application/xml; charset=utf-8");
        }

        // {id}_files/{level}/{col}_{row}.jpg: the identifier may itself hold slashes, so take the parts from the end.
        var files = path.LastIndexOf("_files/", StringComparison.Ordinal);
        var parts = files < 0 ? [] : path[(files + 7)..].Split('/');
        if (parts.Length != 2)
        {
            return ErrorResults.From(IiifError.NotFound("path", $"Expected /deepzoom/{{identifier}}.dzi or /deepzoom/{{identifier}}_files/{{level}}/{{col}}_{{row}}.jpg but received \"{context.Request.Path}\""));
        }

        var cell = parts[1].EndsWith(".jpg", StringComparison.Ordinal) ? parts[1][..^4].Split('_') : [];
        if (!TryIndex(parts[0], out var level) || cell.Length != 2 || !TryIndex(cell[0], out var column) || !TryIndex(cell[1], out var row))
        {
            return ErrorResults.From(IiifError.BadRequest("tile", $"Expected {{level}}/{{col}}_{{row}}.jpg with non-negative integers but received \"{parts[0]}/{parts[1]}\""));
        }

        var id = path[..files];
        if (!Describe(pipeline, id).TryGetValue(out var described, out var failure))
        {
            return ErrorResults.From(failure);
        }

        var geometry = new DeepZoomGeometry(described.Info.Width, described.Info.Height);
        if (geometry.Tile(level, column, row) is not { } tile)
        {
            var (columns, rows) = level <= geometry.MaxLevel ? geometry.TileCount(level) : (0, 0);
            return ErrorResults.From(IiifError.NotFound("tile", $"Expected a level 0..{geometry.MaxLevel} and a tile within its {columns}×{rows} grid but received {level}/{column}_{row}"));
        }

        // A tile of the descriptor (.dzi, ImageProperties.xml) the viewer follows: what anyone may render.
        RenderAdmission.MarkListed(context);
        return await RenderAsync(context, pipeline, options, metrics, id, tile);
    }

    private static async Task<IResult> Zoomify(HttpContext context, ImagePipeline pipeline, TesseraServerOptions options, TesseraMetrics metrics)
    {
        IiifHeaders.Cors(context.Response);
        var segments = RawRequestPath.Segments(context, "/zoomify/") ?? [];
        if (segments.Length >= 2 && segments[^1] == "ImageProperties.xml")
        {
            var identifier = string.Join('/', segments[..^1]);
            if (!Describe(pipeline, identifier).TryGetValue(out var source, out var error))
            {
                return ErrorResults.From(error);
            }

            Cache(context.Response, options);
            return Results.Text(new ZoomifyGeometry(source.Info.Width, source.Info.Height).Descriptor(), "application/xml; charset=utf-8");
        }

        if (segments.Length < 3 || !segments[^2].StartsWith("TileGroup", StringComparison.Ordinal))
        {
            return ErrorResults.From(IiifError.NotFound("path", $"Expected /zoomify/{{identifier}}/ImageProperties.xml or /zoomify/{{identifier}}/TileGroup{{n}}/{{tier}}-{{col}}-{{row}}.jpg but received \"{context.Request.Path}\""));
        }

        var cell = segments[^1].EndsWith(".jpg", StringComparison.Ordinal) ? segments[^1][..^4].Split('-') : [];
        if (!TryIndex(segments[^2][9..], out var group) || cell.Length != 3
            || !TryIndex(cell[0], out var tier) || !TryIndex(cell[1], out var column) || !TryIndex(cell[2], out var row))
        {
            return ErrorResults.From(IiifError.BadRequest("tile", $"Expected TileGroup{{n}}/{{tier}}-{{col}}-{{row}}.jpg with non-negative integers but received \"{segments[^2]}/{segments[^1]}\""));
        }

        var id = string.Join('/', segments[..^2]);
        if (!Describe(pipeline, id).TryGetValue(out var described, out var failure))
        {
            return ErrorResults.From(failure);
        }

        var geometry = new ZoomifyGeometry(described.Info.Width, described.Info.Height);
        if (geometry.Tile(tier, column, row) is not { } tile || geometry.TileGroup(tier, column, row) != group)
        {
            return ErrorResults.From(IiifError.NotFound("tile", $"No tile {tier}-{column}-{row} in TileGroup{group}: the image has tiers 0..{geometry.Tiers - 1}"));
        }

        // A tile of the descriptor (.dzi, ImageProperties.xml) the viewer follows: what anyone may render.
        RenderAdmission.MarkListed(context);
        return await RenderAsync(context, pipeline, options, metrics, id, tile);
    }

    /// <summary>
    /// Renders a legacy tile as the IIIF request it is; errors become responses through <paramref name="errors"/>. The
    /// answer says where its bytes came from and its render time is recorded, as the Image API's are.
    /// <paramref name="jpegQuality"/> (IIP's <c>QLT</c>) asks for a JPEG quality other than the server's
    /// (<see cref="ImagePlan.JpegQuality"/>); null renders as the Image API does.
    /// </summary>
    internal static async Task<IResult> RenderAsync(HttpContext context, ImagePipeline pipeline, TesseraServerOptions options, TesseraMetrics metrics, string identifier, LegacyTile tile, Func<IiifError, IResult>? errors = null, int? jpegQuality = null)
    {
        errors ??= ErrorResults.From;
        // An ordinary IIIF 3.0 request: parsed, planned and rendered by the one pipeline the Image API uses.
        if (!ImageRequestParser.Parse(ApiVersion.V3, identifier, tile.Region, tile.Size, "0", "default.jpg").TryGetValue(out var request, out var error)
            || !pipeline.Plan(request).TryGetValue(out var planned, out error))
        {
            return errors(error);
        }

        var renderStart = System.Diagnostics.Stopwatch.GetTimestamp();
        var plan = jpegQuality is null ? planned.Plan : planned.Plan with { JpegQuality = jpegQuality };
        if (!(await pipeline.RenderAsync(plan, planned.Source, context.RequestAborted)).TryGetValue(out var image, out error))
        {
            if (SourceCatalog.IsChanging(error) && context.Items.TryAdd(typeof(SourceCatalog), null))
            {
                // The source was replaced while it was read: once more, planned against the new version.
                return await RenderAsync(context, pipeline, options, metrics, identifier, tile, errors, jpegQuality);
            }

            return errors(error);
        }

        Cache(context.Response, options);
        MetricLabels.SetOrigin(context.Response, image);
        metrics.Rendered(image, renderStart);
        return Results.Bytes(image.Data, image.MediaType);
    }

    private static Outcome<SourceDescription> Describe(ImagePipeline pipeline, string identifier) =>
        pipeline.Catalog.Resolver.IdentifierProblem(identifier) is { } problem
            ? IiifError.BadRequest("identifier", problem)
            : pipeline.Catalog.Describe(identifier);

    private static bool TryIndex(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && text.Length <= 9;

    internal static void Cache(HttpResponse response, TesseraServerOptions options) =>
        response.Headers.CacheControl = options.CacheMaxAgeSeconds > 0 ? $"public, max-age={options.CacheMaxAgeSeconds}" : "no-cache";
}
