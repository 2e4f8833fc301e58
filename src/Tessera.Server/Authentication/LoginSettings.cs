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
}
