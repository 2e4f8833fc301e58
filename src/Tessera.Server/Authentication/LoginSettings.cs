using Microsoft.AspNetCore.Http;

namespace Tessera.Server.Authentication;

/// <summary>How a session signed in through Tessera (login page or identity provider) behaves: settings key <c>Login</c>.</summary>
public sealed record LoginSettings
{
    /// <summary>
    /// Minutes a session lasts without a request; each request in the second half renews it (sliding expiry), so
    /// someone at work stays signed in and a forgotten browser does not.
    /// </summary>
    public int SessionMinutes { get; init; } = 480;

    /// <summary>Login form posts one client address may make per minute; more are answered 429 with <c>Retry-After</c>.</summary>
    public int AttemptsPerMinute { get; init; } = 10;

    /// <summary>
    /// Every failed password login is answered this long after it arrived, whether the name exists or not, so neither
    /// the time nor the answer tells which names exist, and guessing is slow.
    /// </summary>
    public int FailureDelayMilliseconds { get; init; } = 1000;

    /// <summary>
    /// Folder of the keys that sign session cookies. Unset: ASP.NET Core's default (~/.aspnet/DataProtection-Keys, or
    /// memory). Servers behind one load balancer must share it, or a session made on one is unknown to the others.
    /// </summary>
    public string? KeysDirectory { get; init; }

    /// <summary>
    /// The session cookie's <c>SameSite</c>: <c>Lax</c> (the default: sent by this site's pages and by top-level
    /// navigations from others), <c>Strict</c> (this site's pages only) or <c>None</c> (also to viewers on other sites:
    /// the token service in their hidden frame, the Auth 1.0 images in their pages). Browsers keep a <c>None</c> cookie
    /// only when it is <c>Secure</c>, so with <c>None</c> the cookie is always <c>Secure</c> and the server must be
    /// reached over https (checked at start: <c>BaseUrl</c> https, or <c>TrustForwardedHeaders</c> for TLS ended at a proxy).
    /// </summary>
    public string SameSite { get; init; } = "Lax";

    /// <summary>The values <see cref="SameSite"/> accepts, without case.</summary>
    public static bool TryParseSameSite(string? value, out SameSiteMode mode)
    {
        mode = value?.Trim().ToUpperInvariant() switch
        {
            "LAX" => SameSiteMode.Lax,
            "STRICT" => SameSiteMode.Strict,
            "NONE" => SameSiteMode.None,
            _ => SameSiteMode.Unspecified,
        };
        return mode != SameSiteMode.Unspecified;
    }
}
