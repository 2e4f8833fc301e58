using System.Net;
using System.Threading.RateLimiting;

namespace Tessera.Server.Authentication;

/// <summary>
/// At most <see cref="LoginSettings.AttemptsPerMinute"/> login posts per client address per minute (a fixed window per
/// address; idle addresses are forgotten by the limiter), so guessing passwords from one address is slow. Kept apart from
/// any application-wide rate limiter, so render limits and login limits never share a budget.
/// </summary>
public sealed class LoginThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<IPAddress> _limiter;

    public LoginThrottle(LoginSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _limiter = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => RateLimitPartition.GetFixedWindowLimiter(
            address,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = settings.AttemptsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0, AutoReplenishment = true }));
    }

    /// <summary>Null when an attempt from <paramref name="address"/> may go on; else how long until the next may.</summary>
    public TimeSpan? Refuse(IPAddress? address)
    {
        if (address is { IsIPv4MappedToIPv6: true })
        {
            address = address.MapToIPv4();
        }

        using var lease = _limiter.AttemptAcquire(address ?? IPAddress.None);
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
    }

    public void Dispose() => _limiter.Dispose();
}
