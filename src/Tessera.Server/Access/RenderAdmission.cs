using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Tessera.Core.Iiif;
using Tessera.Core.Info;
using Tessera.Core.Planning;
using Tessera.Server.Hosting;

namespace Tessera.Server.Access;

/// <summary>
/// Who may make new renders, and how many (issue 14, "who may render"): asked by the pipeline only when nothing stored
/// or cached answers a request (<see cref="Imaging.Pipeline.ImagePipeline.RenderGate"/>). With <c>Rendering:
/// authorised</c>, an anonymous request may still render the tiles and sizes info.json lists (what a viewer that
/// follows the document asks) and DeepZoom and Zoomify tiles (<see cref="MarkListed"/>); anything else answers 401
/// until the client signs in. <c>RenderRateLimit</c> bounds the new renders each client (its user name when signed
/// in, else its address) starts a minute, with a burst of <c>RenderRateBurst</c>: over it, 429 with <c>Retry-After</c>.
/// </summary>
public sealed class RenderAdmission : IDisposable
{
    private const string ListedKey = "Tessera.ListedRender";

    private readonly IHttpContextAccessor _requests;
    private readonly InfoOptions _info;
    private readonly bool _authorisedOnly;
    private readonly PartitionedRateLimiter<string>? _rate;
    private readonly string _rateText;

    public RenderAdmission(TesseraServerOptions options, InfoOptions info, IHttpContextAccessor requests)
    {
        ArgumentNullException.ThrowIfNull(options);
        _requests = requests;
        _info = info;
        _authorisedOnly = options.Rendering is "authorised" or "authorized";
        _rateText = $"{options.RenderRateLimit} a minute after a burst of {options.RenderRateBurst} (RenderRateLimit, RenderRateBurst)";
        if (options.RenderRateLimit > 0)
        {
            var period = TimeSpan.FromMinutes(1) / options.RenderRateLimit;
            var burst = options.RenderRateBurst;
            _rate = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetTokenBucketLimiter(client, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = burst,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = period,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
        }
    }

    /// <summary>
    /// Whether public images advertise the IIIF auth services (a probe answering 200, and the access service): new renders
    /// are for signed-in users and someone can sign in through an access service (the login page with a users file, or
    /// OpenID Connect). A client that meets the 401 of an unlisted render finds the login in the info.json.
    /// </summary>
    public static bool AdvertisesAccess(TesseraServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Rendering is "authorised" or "authorized" && (!string.IsNullOrEmpty(options.Users) || !string.IsNullOrEmpty(options.Oidc.Authority));
    }

    /// <summary>Whether there is anything to ask (else the pipeline is given no gate at all).</summary>
    public bool IsActive => _authorisedOnly || _rate is not null;

    /// <summary>Says that the request renders a tile of a listing of its own (a DeepZoom or Zoomify tile), which anyone may render.</summary>
    public static void MarkListed(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[ListedKey] = true;
    }

    /// <summary>Null when the current request may start this render; else 401 (sign in first) or 429 (too many, with when to retry).</summary>
    public IiifError? Admit(ImagePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var context = _requests.HttpContext;
        if (context is null)
        {
            return null;
        }

        // Who the request is as the access rules see it: an IIIF client's bearer token counts like a session.
        var user = (context.RequestServices.GetService(typeof(AccessPolicy)) as AccessPolicy)?.UserOf(context) ?? context.User;
        var signedIn = user.Identity?.IsAuthenticated == true;
        if (_authorisedOnly && !signedIn && !context.Items.ContainsKey(ListedKey) && !ListedImages.Contains(plan, plan.Limits, _info))
        {
            return new IiifError(401, "identifier", $"New renders of \"{plan.Identifier}\" other than the tiles and sizes its info.json lists are for signed-in users: sign in through the image's access service");
        }

        if (_rate is null)
        {
            return null;
        }

        var client = signedIn && user.Identity?.Name is { Length: > 0 } name ? "user:" + name : "address:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        using var lease = _rate.AttemptAcquire(client);
        if (lease.IsAcquired)
        {
            return null;
        }

        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
        return new IiifError(429, "identifier", $"Too many new renders from this client: at most {_rateText}; ask again later") { RetryAfter = wait };
    }

    public void Dispose() => _rate?.Dispose();
}
