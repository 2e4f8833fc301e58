using System.Text.Json.Nodes;

namespace Tessera.Server.Access;

/// <summary>
/// The service descriptions a protected image carries in its info.json and in Presentation documents: the Auth 2.0 chain
/// (AuthProbeService2 → AuthAccessService2 → AuthAccessTokenService2 + AuthLogoutService2, §2-§6) and the Auth 1.0
/// login service with its token and logout services (the cookie flow Mirador 3 speaks). The URLs are this server's
/// (<see cref="AuthEndpoints"/>).
/// </summary>
public static class AuthServices
{
    public const string Context2 = "http://iiif.io/api/auth/2/context.json";

    public const string Context1 = "http://iiif.io/api/auth/1/context.json";

    /// <summary>The probe URL of an image: <c>{base}/auth/v2/probe/{identifier}</c>, its path segments escaped.</summary>
    public static string ProbeUrl(string baseUrl, string identifier) =>
        $"{baseUrl}/auth/v2/probe/{string.Join('/', identifier.Split('/').Select(Uri.EscapeDataString))}";

    /// <summary>Both services, for the <c>service</c> array of an image service.</summary>
    public static JsonArray For(AccessRule rule, string baseUrl, string identifier)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return [Probe2(rule, baseUrl, identifier), Login1(rule, baseUrl)];
    }

    /// <summary>
    /// The services of a public image when new renders are for signed-in users only (<c>Rendering: authorised</c>): the
    /// Auth 2.0 probe service alone, whose probe answers <c>status</c> 200 (everyone gets what the info.json lists), with
    /// the access service a client offers for everything else (docs/access.md, "Who may render"). Auth 1.0 is left out:
    /// it has no probe, and a login service on an image that answers 200 says nothing a 1.0 client acts on.
    /// </summary>
    public static JsonArray ForPublic(AccessRule rule, string baseUrl, string identifier)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var shown = ReferenceEquals(rule, AccessRule.PublicDefault)
            ? rule with { Heading = "Log in for other views", Note = "Anyone may see the tiles and sizes this image lists; other regions, sizes and rotations are rendered for signed-in users." }
            : rule;
        return [Probe2(shown, baseUrl, identifier)];
    }

    /// <summary>
    /// Auth 2.0 §2.1: services embedded in an Image API 3.0 info.json carry no <c>@context</c> of their own; the auth
    /// context goes in the document's, before the image context. (A 2.1 info.json keeps its single context.)
    /// </summary>
    public static void DeclareContext(JsonObject info)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (info["@context"] is JsonValue value && value.TryGetValue<string>(out var context) && context == Core.Info.InfoDocument.ContextV3)
        {
            info["@context"] = new JsonArray(Context2, context);
        }
    }

    /// <summary>The Auth 2.0 probe service of one image with its access, token and logout services.</summary>
    public static JsonObject Probe2(AccessRule rule, string baseUrl, string identifier)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var access = new JsonObject { ["type"] = "AuthAccessService2", ["profile"] = rule.Profile.ToString().ToLowerInvariant() };
        if (rule.Profile != AccessServiceProfile.External)
        {
            access["id"] = rule.Profile == AccessServiceProfile.Kiosk ? $"{baseUrl}/auth/v2/kiosk" : $"{baseUrl}/auth/v2/access";
        }

        access["label"] = Lang(rule.Label);
        if (rule.Profile == AccessServiceProfile.Active)
        {
            access["heading"] = Lang(rule.Heading);
            access["note"] = Lang(rule.Note);
            access["confirmLabel"] = Lang("Log in");
        }

        access["service"] = new JsonArray(
            new JsonObject
            {
                ["id"] = $"{baseUrl}/auth/v2/token",
                ["type"] = "AuthAccessTokenService2",
                ["errorHeading"] = Lang("Not logged in"),
                ["errorNote"] = Lang("No session was found; log in first."),
            },
            new JsonObject { ["id"] = $"{baseUrl}/auth/v2/logout", ["type"] = "AuthLogoutService2", ["label"] = Lang("Log out") });

        return new JsonObject
        {
            ["id"] = ProbeUrl(baseUrl, identifier),
            ["type"] = "AuthProbeService2",
            ["service"] = new JsonArray(access),
            ["errorHeading"] = Lang(rule.Access switch { AccessKind.Degraded => "Reduced image", AccessKind.Public => rule.Heading, _ => "Log in to see this image" }),
            ["errorNote"] = Lang(rule.Access == AccessKind.Degraded ? "You see a reduced version; log in for the full image." : rule.Note),
        };
    }

    /// <summary>The Auth 1.0 login (or kiosk, external) service with its token and logout services.</summary>
    public static JsonObject Login1(AccessRule rule, string baseUrl)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var (profile, url) = rule.Profile switch
        {
            AccessServiceProfile.Kiosk => ("http://iiif.io/api/auth/1/kiosk", $"{baseUrl}/auth/v1/kiosk"),
            AccessServiceProfile.External => ("http://iiif.io/api/auth/1/external", $"{baseUrl}/auth/v1/external"),
            _ => ("http://iiif.io/api/auth/1/login", $"{baseUrl}/auth/v1/login"),
        };
        var login = new JsonObject
        {
            ["@context"] = Context1,
            ["@id"] = url,
            ["profile"] = profile,
            ["label"] = rule.Label,
            ["header"] = rule.Heading,
            ["description"] = rule.Note,
            ["confirmLabel"] = "Log in",
            ["failureHeader"] = "Not logged in",
            ["failureDescription"] = "No session was found; log in first.",
            ["service"] = new JsonArray(
                new JsonObject { ["@id"] = $"{baseUrl}/auth/v1/token", ["profile"] = "http://iiif.io/api/auth/1/token" },
                new JsonObject { ["@id"] = $"{baseUrl}/auth/v1/logout", ["profile"] = "http://iiif.io/api/auth/1/logout", ["label"] = "Log out" }),
        };
        return login;
    }

    /// <summary>A language map, <c>{"en": [text]}</c> (Presentation 3.0 §4.2).</summary>
    public static JsonObject Lang(string text) => new() { ["en"] = new JsonArray(text) };
}
