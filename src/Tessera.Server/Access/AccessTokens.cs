using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;

namespace Tessera.Server.Access;

/// <summary>
/// The IIIF access tokens this server gave out (Auth 2.0 §4.4): opaque strings, never a cookie's value, each bound to
/// the origin it was posted to, expiring, and revocable (logout revokes every token of its user). A token is a random
/// id and an HMAC of it under the server's key, so a forged or mistyped token is refused without a lookup; what it
/// grants (the user's name and roles when it was issued) stays in a bounded in-memory store: a restart or an
/// overflowing store only sends clients through the token service again.
/// </summary>
public sealed class AccessTokens
{
    private readonly byte[] _key;
    private readonly TimeSpan _lifetime;
    private readonly int _capacity;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <param name="key">The signing key, 32 bytes or more; null makes one at random (tokens then die with the process).</param>
    /// <param name="lifetime">How long a token is good for.</param>
    /// <param name="capacity">The most tokens held; past it the ones closest to expiry go first.</param>
    /// <param name="time">The clock (tests move it to expire tokens).</param>
    public AccessTokens(byte[]? key, TimeSpan lifetime, int capacity = 100_000, TimeProvider? time = null)
    {
        if (key is { Length: < 32 })
        {
            throw new ArgumentException($"Expected a signing key of 32 bytes or more but received {key.Length}", nameof(key));
        }

        _key = key ?? RandomNumberGenerator.GetBytes(32);
        _lifetime = lifetime;
        _capacity = Math.Max(1, capacity);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Seconds a token is good for (the <c>expiresIn</c> sent with it).</summary>
    public int LifetimeSeconds => (int)Math.Ceiling(_lifetime.TotalSeconds);

    /// <summary>Tokens held now (expired ones included until they are swept).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>A new token for <paramref name="user"/>'s name and roles, usable only from <paramref name="origin"/>.</summary>
    public string Issue(ClaimsPrincipal user, string origin)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(origin);
        var id = Base64Url(RandomNumberGenerator.GetBytes(18));
        var roles = user.FindAll(ClaimTypes.Role).Select(c => c.Value).Distinct(StringComparer.Ordinal).ToArray();
        var entry = new Entry(user.Identity?.Name ?? string.Empty, roles, origin, _time.GetUtcNow() + _lifetime);
        lock (_lock)
        {
            if (_entries.Count >= _capacity)
            {
                Sweep();
            }

            _entries[id] = entry;
        }

        return id + "." + Sign(id);
    }

    /// <summary>
    /// The user a token stands for, when it is genuine, unexpired, unrevoked and presented from its origin; null otherwise.
    /// <paramref name="origin"/> is the request's <c>Origin</c> header (null when it sent none: then only a token bound to
    /// <paramref name="ownOrigin"/>, the server's own pages, is accepted).
    /// </summary>
    public ClaimsPrincipal? Validate(string token, string? origin, string ownOrigin)
    {
        ArgumentNullException.ThrowIfNull(token);
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(token[(dot + 1)..]), Encoding.ASCII.GetBytes(Sign(token[..dot]))))
        {
            return null;
        }

        Entry? entry;
        lock (_lock)
        {
            if (!_entries.TryGetValue(token[..dot], out entry))
            {
                return null;
            }

            if (entry.Expires <= _time.GetUtcNow())
            {
                _entries.Remove(token[..dot]);
                return null;
            }
        }

        if (!string.Equals(origin ?? ownOrigin, entry.Origin, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var claims = new List<Claim> { new(ClaimTypes.Name, entry.User) };
        claims.AddRange(entry.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "IIIFAccessToken"));
    }

    /// <summary>Revokes one token; true when it was held.</summary>
    public bool Revoke(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        lock (_lock)
        {
            return dot > 0 && _entries.Remove(token[..dot]);
        }
    }

    /// <summary>Revokes every token of the user named (logout); the number revoked.</summary>
    public int RevokeUser(string user)
    {
        ArgumentNullException.ThrowIfNull(user);
        lock (_lock)
        {
            var ids = _entries.Where(e => e.Value.User == user).Select(e => e.Key).ToList();
            ids.ForEach(id => _entries.Remove(id));
            return ids.Count;
        }
    }

    /// <summary>Drops expired tokens and, when still full, the tenth closest to expiry. Called under the lock.</summary>
    private void Sweep()
    {
        var now = _time.GetUtcNow();
        foreach (var id in _entries.Where(e => e.Value.Expires <= now).Select(e => e.Key).ToList())
        {
            _entries.Remove(id);
        }

        if (_entries.Count >= _capacity)
        {
            foreach (var id in _entries.OrderBy(e => e.Value.Expires).Take(Math.Max(1, _capacity / 10)).Select(e => e.Key).ToList())
            {
                _entries.Remove(id);
            }
        }
    }

    private string Sign(string id) => Base64Url(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(id)).AsSpan(0, 18).ToArray());

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed record Entry(string User, string[] Roles, string Origin, DateTimeOffset Expires);
}
