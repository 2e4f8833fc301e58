using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Tessera.Core.Iiif;
using Tessera.Core.Info;
using Tessera.Imaging.Caching;
using Tessera.Imaging.Pipeline;
using Tessera.Imaging.Rendering;
using Tessera.Imaging.Sources;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.Server.Http;
using Tessera.Server.Operations.Metrics;

namespace Tessera.Server.Endpoints;

/// <summary>
/// The Image API, both versions: <c>/iiif/{2|3}/{identifier}</c> (303 to info.json), <c>.../info.json</c> and
/// <c>.../{region}/{size}/{rotation}/{quality}.{format}</c>.
/// </summary>
public static partial class ImageEndpoints
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static IEndpointRouteBuilder MapImageApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/iiif/{version}/{**rest}", ["GET", "HEAD"], Handle);
        endpoints.MapMethods("/iiif/{version}/{**rest}", ["OPTIONS"], IiifHeaders.Preflight);
        return endpoints;
    }

    private static async Task<IResult> Handle(HttpContext context, ImagePipeline pipeline, PublicUrls urls, TesseraServerOptions options, InfoOptions infoOptions, ILogger<ImagePipeline> logger, TesseraMetrics metrics)
    {
        var response = context.Response;
        IiifHeaders.Cors(response);
        if (!TryVersion(context, out var version, out var rawRest))
        {
            return ErrorResults.From(IiifError.BadRequest("version", $"Expected /iiif/2/ or /iiif/3/ but received \"{context.Request.Path}\""));
        }

        if (!IiifPath.Parse(rawRest).TryGetValue(out var path, out var error))
        {
            return ErrorResults.From(error);
        }

        switch (path.Kind)
        {
            case IiifPathKind.Base:
                response.Headers.Location = urls.ImageId(context.Request, version, path.Identifier) + "/info.json";
                return Results.StatusCode(StatusCodes.Status303SeeOther);
            case IiifPathKind.Info:
                return Info(context, pipeline, urls, options, infoOptions, version, path.Identifier);
        }

        var p = path.Parameters;
        if (!ImageRequestParser.Parse(version, path.Identifier, p[0], p[1], p[2], p[3]).TryGetValue(out var request, out error))
        {
            return ErrorResults.From(error);
        }

        // A protected image's view (docs/access.md): the public's degraded one plans under reduced limits, is refused
        // beyond its resolution, is watermarked and has its own key; null for public images.
        var view = AccessView.Of(context);
        if (!pipeline.Plan(request, view is null ? null : source => view.LimitsFor(source.Info, pipeline.Limits)).TryGetValue(out var planned, out error))
        {
            return ErrorResults.From(error);
        }

        if (view?.Refuse(planned.Plan) is { } refused)
        {
            return ErrorResults.From(refused);
        }

        var id = urls.ImageId(context.Request, version, path.Identifier);
        IiifHeaders.CanonicalLink(response, $"{id}/{planned.Plan.CanonicalPath(version)}");
        IiifHeaders.ProfileLink(response, version);

        // The bytes are a pure function of the source version and the canonical plan: validators need no render.
        var key = pipeline.KeyOf(planned.Plan, planned.Source);
        var etag = DerivativeKey.ETag(key + view?.KeySuffix);
        if (HttpCaching.Apply(context, options, etag, planned.Source.Source.LastModified))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        var renderStart = System.Diagnostics.Stopwatch.GetTimestamp();
        if (!(await (view?.Watermark is { } watermark
            ? Watermarked(pipeline, planned.Plan, planned.Source, key, key + view.KeySuffix, watermark, context.RequestAborted)
            : pipeline.RenderAsync(planned.Plan, planned.Source, key, context.RequestAborted))).TryGetValue(out var image, out error))
        {
            if (SourceCatalog.IsChanging(error) && context.Items.TryAdd(typeof(SourceCatalog), null))
            {
                // The source was replaced while it was read: once more, planned and validated against the new version.
                return await Handle(context, pipeline, urls, options, infoOptions, logger, metrics);
            }

            response.Headers.Remove("Link");
            response.Headers.Remove("ETag");
            response.Headers.Remove("Last-Modified");
            response.Headers.CacheControl = "no-store";
            return ErrorResults.From(error);
        }

        var origin = MetricLabels.SetOrigin(response, image);
        metrics.Rendered(image, renderStart);
        RenderPathChosen(logger, context.Request.Path.Value ?? "", origin, image.Path, image.Reason);
        return Results.Bytes(image.Data, image.MediaType);
    }

    /// <summary>
    /// The public's watermarked image: cached under its own key, else the plan's image (the same bytes an authorised
    /// user gets for this plan, which is within the reduced size) with the mark drawn.
    /// </summary>
    private static async Task<Outcome<RenderedImage>> Watermarked(ImagePipeline pipeline, Core.Planning.ImagePlan plan, SourceDescription source, string key, string markedKey, Watermark watermark, CancellationToken cancellationToken)
    {
        if (pipeline.Cache is { } cache && cache.TryGet(markedKey, out var cached))
        {
            return cached with { Origin = RenderOrigin.Cache };
        }

        if (!(await pipeline.RenderAsync(plan, source, key, cancellationToken)).TryGetValue(out var image, out var error))
        {
            return error;
        }

        var marked = Watermarker.Apply(image, plan.Format, watermark, pipeline.Renderer.Options);
        pipeline.Cache?.Set(markedKey, marked);
        return marked;
    }

    /// <summary>Which path the chooser took for a request and why, beside where the bytes came from: for operators finding what keeps requests off the fast paths.</summary>
    [LoggerMessage(Level = LogLevel.Debug, Message = "{RequestPath}: {Origin}; render path {RenderPath} because {Reason}")]
    private static partial void RenderPathChosen(ILogger logger, string requestPath, string origin, RenderPath? renderPath, RenderReason? reason);

    private static IResult Info(HttpContext context, ImagePipeline pipeline, PublicUrls urls, TesseraServerOptions options, InfoOptions infoOptions, ApiVersion version, string identifier)
    {
        if (!pipeline.Catalog.Describe(identifier).TryGetValue(out var source, out var error))
        {
            return ErrorResults.From(error);
        }

        var id = urls.ImageId(context.Request, version, identifier);
        var view = AccessView.Of(context);
        var document = InfoDocument.Build(version, id, source.Info, view?.LimitsFor(source.Info, pipeline.Limits) ?? pipeline.Limits, infoOptions);
        view?.Decorate(document, source.Info, urls.BaseUrl(context.Request), identifier);
        if (view is null && RenderAdmission.AdvertisesAccess(options) && context.RequestServices.GetService(typeof(AccessPolicy)) is AccessPolicy policy)
        {
            // Unlisted renders of a public image answer 401: its info.json says where to sign in (docs/access.md, "Who may render").
            document["service"] = AuthServices.ForPublic(policy.Rules.Find(identifier), urls.BaseUrl(context.Request), identifier);
            AuthServices.DeclareContext(document);
        }
        var json = document.ToJsonString(Indented);
        var mediaType = IiifHeaders.JsonMediaType(context.Request, version);
        IiifHeaders.ProfileLink(context.Response, version);
        context.Response.Headers.Vary = "Accept";
        if (view is { Status: not 200 })
        {
            // A login image's info.json answers 401 or 403 with its auth services, so a client can recover (Auth 1.0 §2.4).
            return Results.Text(json, mediaType, statusCode: view.Status);
        }

        if (HttpCaching.Apply(context, options, DerivativeKey.ETag(mediaType + json), source.Source.LastModified))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Text(json, mediaType);
    }

    /// <summary>The version and the raw, undecoded rest of the path after <c>/iiif/{version}/</c>.</summary>
    private static bool TryVersion(HttpContext context, out ApiVersion version, out string rest)
    {
        (version, rest) = (ApiVersion.V3, string.Empty);
        if (RawRequestPath.Rest(context, "/iiif/3/") is { } v3)
        {
            rest = v3;
            return true;
        }

        if (RawRequestPath.Rest(context, "/iiif/2/") is { } v2)
        {
            (version, rest) = (ApiVersion.V2, v2);
            return true;
        }

        return false;
    }
}
