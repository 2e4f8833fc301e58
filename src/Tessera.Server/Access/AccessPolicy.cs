using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Imaging.Sources;
using Tessera.Server.Http;

namespace Tessera.Server.Access;

/// <summary>
/// The server's access rules and tokens together: who a request is (its bearer token, else the signed-in user of
/// <see cref="HttpContext.User"/>, which the authentication schemes set), what it may see of an image, which
/// identifiers a listing may show it, and the auth services and hidden canvases of Presentation documents. Registered
/// only when an access file is configured; without one everything is public and nothing here runs.
/// </summary>
public sealed class AccessPolicy(AccessRules rules, AccessTokens tokens, PublicUrls urls)
{
    private static readonly ClaimsPrincipal Anonymous = new(new ClaimsIdentity());

    public AccessRules Rules { get; } = rules;

    public AccessTokens Tokens { get; } = tokens;

    /// <summary>
    /// Who the request is: the user of a valid <c>Authorization: Bearer</c> access token (bound to the request's
    /// <c>Origin</c>); anonymous for a token that is not valid (so a client learns, by a 401, to fetch a new one); else
    /// <see cref="HttpContext.User"/>.
    /// </summary>
    public ClaimsPrincipal UserOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var authorization = context.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return context.User;
        }

        var origin = context.Request.Headers.Origin.ToString();
        return Tokens.Validate(authorization[7..].Trim(), origin.Length == 0 ? null : origin, OwnOrigin(context)) ?? Anonymous;
    }

    /// <summary>This server's own origin (scheme, host and port), the origin of its own pages.</summary>
    public string OwnOrigin(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new Uri(urls.BaseUrl(context.Request)).GetLeftPart(UriPartial.Authority);
    }

    /// <summary>The public base URL for service ids.</summary>
    public string BaseUrl(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return urls.BaseUrl(context.Request);
    }

    /// <summary>
    /// What <paramref name="user"/> may see of an image: null for a public one; else a view whose status is 404 (hidden,
    /// not an administrator), 401 or 403 (login), or 200, degraded or not.
    /// </summary>
    public AccessView? Decide(string identifier, ClaimsPrincipal user) => Decide(Rules, identifier, user);

    /// <summary>As <see cref="Decide(string, ClaimsPrincipal)"/>, under <paramref name="rules"/>.</summary>
    public static AccessView? Decide(AccessRules rules, string identifier, ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(identifier);
        ArgumentNullException.ThrowIfNull(user);
        var rule = rules.Find(identifier);
        var authorised = rule.Authorises(user, rules.AdminRole);
        return rule.Access switch
        {
            AccessKind.Public => null,
            AccessKind.Hidden => new AccessView(rule, user.IsInRole(rules.AdminRole) && user.Identity?.IsAuthenticated == true ? 200 : 404, degraded: false, rules.AdminRole),
            AccessKind.Login => new AccessView(rule, authorised ? 200 : user.Identity?.IsAuthenticated == true ? 403 : 401, degraded: false, rules.AdminRole),
            _ => new AccessView(rule, 200, degraded: !authorised, rules.AdminRole),
        };
    }

    /// <summary>Whether a listing may show the image to <paramref name="user"/>: not hidden from them, and not a <c>login</c> image they cannot open.</summary>
    public bool Listed(string identifier, ClaimsPrincipal user) => Decide(identifier, user) is null or { Status: 200 };

    /// <summary>The listing with what <paramref name="context"/>'s user may not see left out (as it is when no rules are configured).</summary>
    public static SourceListing Visible(HttpContext context, SourceListing listing)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(listing);
        if (context.RequestServices.GetService<AccessPolicy>() is not { } policy)
        {
            return listing;
        }

        var user = policy.UserOf(context);
        return new SourceListing([.. listing.Where(id => policy.Listed(id, user))], listing.Truncated, listing.Skipped);
    }

    /// <summary>
    /// A Presentation document as <paramref name="context"/>'s user may see it: canvases of images hidden from them
    /// removed, the image services of protected images given their auth services. Nothing happens without rules.
    /// </summary>
    public static void Decorate(HttpContext context, JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(document);
        if (context.RequestServices.GetService<AccessPolicy>() is not { } policy)
        {
            return;
        }

        Decorate(document, policy.Rules, policy.UserOf(context), policy.BaseUrl(context));
    }

    /// <summary>
    /// As <see cref="Decorate(HttpContext, JsonObject)"/>, for <paramref name="user"/> under <paramref name="rules"/> with
    /// services under <paramref name="baseUrl"/> (<c>tessera manifest --access</c> writes the public's documents so).
    /// </summary>
    public static void Decorate(JsonObject document, AccessRules rules, ClaimsPrincipal user, string baseUrl)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(baseUrl);
        if (document["items"] is JsonArray items && (document["type"]?.GetValue<string>() == "Manifest"))
        {
            foreach (var canvas in items.ToList())
            {
                if (canvas is not null && HidesAny(rules, canvas, user))
                {
                    items.Remove(canvas);
                }
            }
        }

        AddServices(rules, document, user, baseUrl);
    }

    /// <summary>The public, as documents written for everyone see them.</summary>
    public static ClaimsPrincipal Public => Anonymous;

    /// <summary>Whether anything under <paramref name="node"/> is an image service of an image hidden from the user.</summary>
    private static bool HidesAny(AccessRules rules, JsonNode node, ClaimsPrincipal user) => node switch
    {
        JsonObject o when ImageOf(o) is { } id && Decide(rules, id, user) is { Status: 404 } => true,
        JsonObject o => o.Any(p => p.Value is not null && HidesAny(rules, p.Value, user)),
        JsonArray a => a.Any(e => e is not null && HidesAny(rules, e, user)),
        _ => false,
    };

    private static void AddServices(AccessRules rules, JsonNode node, ClaimsPrincipal user, string baseUrl)
    {
        if (node is JsonObject o)
        {
            if (ImageOf(o) is { } id && rules.Find(id) is { Access: AccessKind.Login or AccessKind.Degraded } rule)
            {
                o["service"] = AuthServices.For(rule, baseUrl, id);
                return;
            }

            if (o["thumbnail"] is JsonNode thumbnail && HidesAny(rules, thumbnail, user))
            {
                o.Remove("thumbnail");
            }

            foreach (var child in o.Select(p => p.Value).Where(v => v is not null).ToList())
            {
                AddServices(rules, child!, user, baseUrl);
            }
        }
        else if (node is JsonArray a)
        {
            foreach (var child in a.Where(v => v is not null).ToList())
            {
                AddServices(rules, child!, user, baseUrl);
            }
        }
    }

    /// <summary>The identifier of an ImageService3 or ImageService2 object, from its id (<c>.../iiif/{2|3}/{escaped identifier}</c>).</summary>
    private static string? ImageOf(JsonObject o)
    {
        var type = (o["type"] ?? o["@type"]) is JsonValue t && t.TryGetValue<string>(out var s) ? s : null;
        if (type is not ("ImageService3" or "ImageService2"))
        {
            return null;
        }

        var id = (o["id"] ?? o["@id"]) is JsonValue v && v.TryGetValue<string>(out var u) ? u : null;
        var at = id is null ? -1 : Math.Max(id.LastIndexOf("/iiif/3/", StringComparison.Ordinal), id.LastIndexOf("/iiif/2/", StringComparison.Ordinal));
        return at < 0 ? null : Uri.UnescapeDataString(id![(at + 8)..]);
    }
}
