using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tessera.Core.Iiif;
using Tessera.Core.Tiles;
using Tessera.Imaging.Pipeline;
using Tessera.Imaging.Sources;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.Server.Http;
using Tessera.Server.Operations.Metrics;

namespace Tessera.Server.Legacy;

/// <summary>
/// The IIP protocol (iipsrv's own, spoken by IIPMooViewer) at <see cref="TesseraServerOptions.IipPath"/>: commands in the
/// query, run in order as iipsrv runs them. <c>FIF=</c> names the image (an identifier, checked as the Image API checks
/// it); <c>OBJ=IIP,1.0</c>, <c>IIP-server</c>, <c>Max-size</c>, <c>Tile-size</c>, <c>Resolution-number</c> and
/// <c>Resolutions</c> add lines to a text answer (<c>application/vnd.netfpx</c>, CRLF lines, iipsrv's words);
/// <c>JTL=r,n</c> answers tile n of resolution r (<see cref="IipGeometry"/>); <c>WID</c>, <c>HEI</c>, <c>RGN</c> and
/// <c>QLT</c> set the view that <c>CVT=jpeg</c> answers; <c>QLT</c> sets the JPEG quality of what follows it, tiles and
/// views alike, as in iipsrv. Every image is an ordinary IIIF request through the shared pipeline, so limits, caches and
/// source checks are the Image API's.
/// </summary>
/// <remarks>
/// <c>QLT</c> as iipsrv takes it: a whole number clamped to 0..100 (libjpeg makes 0 into 1; so does this). iipsrv decodes
/// and encodes every tile, so its tiles are always at the asked quality; here a stored tile is sent as it is unless a
/// <c>QLT</c> other than the server's <see cref="TesseraServerOptions.JpegQuality"/> asks otherwise (then it is decoded and
/// encoded at that quality, and cached under its own key). A <c>QLT</c> equal to the server's is no <c>QLT</c>: one image,
/// one cache entry, stored tiles still sent as they are. IIPMooViewer sends <c>QLT</c> only for its navigation image.
/// Differences from iipsrv, on purpose: error bodies never name a path on the server's disk; values that are not numbers
/// count as 0 rather than whatever C's <c>atoi</c> makes of them.
/// </remarks>
internal static class IipEndpoints
{
    private const string TextType = "application/vnd.netfpx";

    public static void Map(IEndpointRouteBuilder endpoints, string path) =>
        endpoints.MapMethods(path, ["GET", "HEAD"], Answer);

    private static async Task<IResult> Answer(HttpContext context, ImagePipeline pipeline, TesseraServerOptions options, TesseraMetrics metrics)
    {
        IiifHeaders.Cors(context.Response);
        string? identifier = null;
        SourceDescription? source = null;
        var text = new StringBuilder();
        var protocol = false;
        double left = 0, top = 0, width = 1, height = 1;
        int requestedWidth = 0, requestedHeight = 0;
        int? quality = null;

        foreach (var (command, argument) in Commands(context.Request.QueryString.Value))
        {
            switch (command)
            {
                case "fif":
                    identifier = argument.StartsWith('/') ? argument[1..] : argument;
                    if (!Describe(pipeline, identifier).TryGetValue(out var described, out var error))
                    {
                        // iipsrv: 404 "<file> is neither a file nor part of an image sequence"; the identifier, not the path.
                        return ErrorResults.Iip(error.Status == 404 ? error with { Message = $"{identifier} is neither a file nor part of an image sequence" } : error);
                    }

                    source = described;
                    break;

                case "obj":
                    var objectName = argument.ToLowerInvariant();
                    if (objectName == "iip,1.0")
                    {
                        protocol = true;
                        break;
                    }

                    if (objectName == "iip-server")
                    {
                        text.Append("IIP-server:3.65\r\n");
                        break;
                    }

                    if (objectName is not ("max-size" or "tile-size" or "resolution-number" or "resolutions"))
                    {
                        return ErrorResults.Iip(IiifError.BadRequest("OBJ", $"3 2 {objectName}"));
                    }

                    if (source is null)
                    {
                        return ErrorResults.Iip(IiifError.BadRequest("OBJ", $"1 3 {objectName}"));
                    }

                    var geometry = Geometry(source);
                    text.Append(objectName switch
                    {
                        "max-size" => $"Max-size:{geometry.Width} {geometry.Height}\r\n",
                        "tile-size" => $"Tile-size:{geometry.TileWidth} {geometry.TileHeight}\r\n",
                        "resolution-number" => $"Resolution-number:{geometry.ResolutionCount}\r\n",
                        _ => $"Resolutions:{Resolutions(geometry)}\r\n",
                    });
                    break;

                case "wid":
                    requestedWidth = Whole(argument);
                    break;

                case "hei":
                    requestedHeight = Whole(argument);
                    break;

                case "rgn":
                    var parts = argument.Split(',');
                    if (parts.Length == 4)
                    {
                        (left, top, width, height) = (Fraction(parts[0]), Fraction(parts[1]), Fraction(parts[2]), Fraction(parts[3]));
                    }

                    break;

                case "qlt":
                    // iipsrv ignores an empty QLT; any other value is atoi'd and clamped.
                    if (argument.Length > 0)
                    {
                        quality = Quality(argument, options.JpegQuality);
                    }

                    break;

                case "jtl":
                    if (source is null)
                    {
                        return ErrorResults.Iip(IiifError.BadRequest("JTL", $"1 3 jtl"));
                    }

                    var comma = argument.IndexOf(',', StringComparison.Ordinal);
                    var resolution = Whole(comma < 0 ? argument : argument[..comma]);
                    var index = comma < 0 ? 0 : Whole(argument[(comma + 1)..]);
                    var grid = Geometry(source);
                    if (grid.ResolutionSize(resolution) is null)
                    {
                        return ErrorResults.Iip(IiifError.NotFound("JTL", $"Asked for non-existent resolution: {resolution}"));
                    }

                    if (grid.Tile(resolution, index) is not { } tile)
                    {
                        return ErrorResults.Iip(IiifError.NotFound("JTL", $"Asked for non-existent tile: {index}"));
                    }

                    // A tile of the grid OBJ answers describe: what anyone may render (a CVT view is not).
                    RenderAdmission.MarkListed(context);
                    return await LegacyEndpoints.RenderAsync(context, pipeline, options, metrics, identifier!, tile, ErrorResults.Iip, quality);

                case "cvt":
                    if (source is null)
                    {
                        return ErrorResults.Iip(IiifError.BadRequest("CVT", $"1 3 {argument.ToLowerInvariant()}"));
                    }

                    // iipsrv 1.1 answers JPEG whatever CVT names.
                    var view = Geometry(source).View(left, top, width, height, requestedWidth, requestedHeight, Math.Min(IipGeometry.DefaultMaxCvt, Math.Max(pipeline.Limits.MaxWidth, pipeline.Limits.MaxHeight)));
                    var name = Path.GetFileNameWithoutExtension(identifier!.Split('/')[^1]);
                    context.Response.Headers.ContentDisposition = $"inline;filename=\"{Uri.EscapeDataString(name)}.jpg\"";
                    return await LegacyEndpoints.RenderAsync(context, pipeline, options, metrics, identifier, view, ErrorResults.Iip, quality);

                default:
                    // iipsrv ignores commands it does not know.
                    break;
            }
        }

        if (!protocol && text.Length == 0)
        {
            // Nothing answered: iipsrv's "2 1" with the whole query.
            var query = context.Request.QueryString.Value ?? string.Empty;
            return ErrorResults.Iip(IiifError.BadRequest("IIP", $"2 1 {Uri.UnescapeDataString(query.TrimStart('?'))}"));
        }

        LegacyEndpoints.Cache(context.Response, options);
        return Results.Text((protocol ? "IIP:1.0\r\n" : string.Empty) + text, TextType);
    }

    /// <summary>The commands of a raw query in order: names lower-cased (iipsrv's are case-insensitive), values decoded.</summary>
    internal static IEnumerable<(string Command, string Argument)> Commands(string? query)
    {
        foreach (var pair in (query ?? string.Empty).TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? pair : pair[..equals];
            var value = equals < 0 ? string.Empty : pair[(equals + 1)..];
            yield return (Uri.UnescapeDataString(name.Replace('+', ' ')).ToLowerInvariant(), Uri.UnescapeDataString(value.Replace('+', ' ')));
        }
    }

    /// <summary>The IIP pyramid of a source: its displayed size, the stored tile size of a tiled source, else 256.</summary>
    internal static IipGeometry Geometry(SourceDescription source)
    {
        var info = source.Info;
        var level = info.Levels.Count > 0 ? info.Levels[0] : null;
        var tiled = level is { IsTiled: true, TileWidth: >= 64 and <= 1024 } && level.TileWidth == level.TileHeight && !info.SwapsAxes;
        var tile = tiled ? level!.TileWidth : 256;
        return new IipGeometry(info.Width, info.Height, tile, tile);
    }

    private static string Resolutions(IipGeometry geometry)
    {
        var sizes = Enumerable.Range(0, geometry.ResolutionCount).Select(r => geometry.ResolutionSize(r)!.Value);
        return string.Join(',', sizes.Select(s => $"{s.Width} {s.Height}"));
    }

    private static Outcome<SourceDescription> Describe(ImagePipeline pipeline, string identifier) =>
        pipeline.Catalog.Resolver.IdentifierProblem(identifier) is { } problem
            ? IiifError.BadRequest("FIF", problem)
            : pipeline.Catalog.Describe(identifier);

    /// <summary>
    /// The JPEG quality a <c>QLT</c> value asks for: clamped to 0..100 as iipsrv's <c>JPEGCompressor::setQuality</c> does,
    /// 0 made 1 as libjpeg's <c>jpeg_quality_scaling</c> does; null when it is <paramref name="serverQuality"/> (no change).
    /// </summary>
    internal static int? Quality(string argument, int serverQuality)
    {
        // C's atoi: an optional sign and the digits that follow it; nothing readable is 0, too many digits saturate.
        var text = argument.Trim();
        var sign = text.StartsWith('-') ? -1 : 1;
        var digits = text.TrimStart('+', '-');
        var length = 0;
        while (length < digits.Length && char.IsAsciiDigit(digits[length]))
        {
            length++;
        }

        var value = length == 0 ? 0 : length > 9 ? int.MaxValue : int.Parse(digits[..length], CultureInfo.InvariantCulture);
        var quality = Math.Clamp(sign * value, 1, 100);
        return quality == serverQuality ? null : quality;
    }

    private static int Whole(string text) =>
        int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : 0;

    private static double Fraction(string text) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : 0;
}
