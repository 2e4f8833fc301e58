using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Tessera.Core.Iiif;
using Tessera.Core.Planning;
using Tessera.Imaging.Rendering;

namespace Tessera.Server.Access;

/// <summary>
/// What one request may see of one protected image, decided by <see cref="AccessMiddleware"/> before the endpoint runs
/// and read by the Image API endpoint: the full image, the degraded view (reduced limits, a resolution bound, the
/// watermark, its own cache key), or a refusal whose info.json still answers (with its status) so a client finds the
/// auth services. Requests for public images carry none.
/// </summary>
public sealed class AccessView
{
    internal AccessView(AccessRule rule, int status, bool degraded, string adminRole)
    {
        Rule = rule;
        Status = status;
        Degraded = degraded;
        AdminRole = adminRole;
    }

    public AccessRule Rule { get; }

    /// <summary>200, or 401 (no user or token) or 403 (a user without the role) for a <c>login</c> image.</summary>
    public int Status { get; }

    /// <summary>Whether this request gets the public's reduced view of a <c>degraded</c> image.</summary>
    public bool Degraded { get; }

    internal string AdminRole { get; }

    /// <summary>The watermark drawn on this request's image, or null.</summary>
    public Watermark? Watermark => Degraded ? Rule.Watermark : null;

    /// <summary>
    /// Appended to the derivative key and so to the ETag: the public's view of a degraded image never shares a key with
    /// the full one (a watermarked render is cached only under it; an unmarked one is the same plan's bytes).
    /// </summary>
    public string KeySuffix => Degraded ? "\naccess=degraded" + (Rule.Watermark is { } mark ? "\n" + mark.Key : string.Empty) : string.Empty;

    /// <summary>The view stored on the request by the middleware, or null (public image, no rules).</summary>
    public static AccessView? Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.TryGetValue(typeof(AccessView), out var view) ? view as AccessView : null;
    }

    /// <summary>
    /// The limits of this view for an image of <paramref name="source"/>'s size: the server's, or for the degraded view the
    /// whole image scaled to <see cref="AccessRule.MaxSize"/> on its long side (and never above the server's).
    /// </summary>
    public ServerLimits LimitsFor(SourceInfo source, ServerLimits server)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(server);
        if (!Degraded)
        {
            return server;
        }

        var (width, height) = Reduced(source);
        return server with
        {
            MaxWidth = Math.Min(server.MaxWidth, width),
            MaxHeight = Math.Min(server.MaxHeight, height),
            MaxArea = Math.Min(server.MaxArea, (long)width * height),
        };
    }

    /// <summary>
    /// For the degraded view, a plan that shows more detail than the whole image at <see cref="AccessRule.MaxSize"/> would
    /// (a region at a larger scale: a zoomed tile) is refused with 403; null when the plan may be served.
    /// </summary>
    public IiifError? Refuse(ImagePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (!Degraded)
        {
            return null;
        }

        var scale = Scale(plan.Source);
        if (plan.Width > (plan.Region.Width * scale) + 1 || plan.Height > (plan.Region.Height * scale) + 1)
        {
            return new IiifError(403, "size", $"Expected at most {Rule.MaxSize} px on the long side of the whole image for the public (degraded access) but the request asks for {plan.Width}×{plan.Height} of a {plan.Region.Width}×{plan.Region.Height} region; log in for the full image");
        }

        return null;
    }

    /// <summary>
    /// Adds the auth services to an info.json (both versions) and, for the degraded view, keeps its tile scale factors to
    /// those at which the whole image is within the reduced size (sizes and max* come from <see cref="LimitsFor"/>).
    /// </summary>
    public void Decorate(JsonObject info, SourceInfo source, string baseUrl, string identifier)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(source);
        if (Degraded && info["tiles"] is JsonArray tiles)
        {
            var (width, height) = Reduced(source);
            foreach (var tile in tiles.OfType<JsonObject>())
            {
                // Powers of two at which the whole image is within the reduced size, up to where it fits in one tile.
                var tileWidth = tile["width"]!.GetValue<int>();
                var tileHeight = tile["height"]?.GetValue<int>() ?? tileWidth;
                var factors = new JsonArray();
                for (var factor = 1; factor < (1 << 30); factor *= 2)
                {
                    if (Ceiling(source.Width, factor) > width || Ceiling(source.Height, factor) > height)
                    {
                        continue;
                    }

                    factors.Add(factor);
                    if (Ceiling(source.Width, factor) <= tileWidth && Ceiling(source.Height, factor) <= tileHeight)
                    {
                        break;
                    }
                }

                tile["scaleFactors"] = factors;
            }
        }

        info["service"] = AuthServices.For(Rule, baseUrl, identifier);
        AuthServices.DeclareContext(info);
    }

    /// <summary>The whole image's size in the degraded view: scaled down so its long side is at most MaxSize.</summary>
    private (int Width, int Height) Reduced(SourceInfo source)
    {
        var scale = Scale(source);
        return (Math.Max(1, (int)Math.Floor(source.Width * scale)), Math.Max(1, (int)Math.Floor(source.Height * scale)));
    }

    private double Scale(SourceInfo source) => Math.Min(1.0, (double)Rule.MaxSize / Math.Max(source.Width, source.Height));

    private static int Ceiling(int value, int factor) => (int)(((long)value + factor - 1) / factor);
}
