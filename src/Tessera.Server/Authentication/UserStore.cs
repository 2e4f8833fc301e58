using Microsoft.Extensions.Logging;

namespace Tessera.Server.Authentication;

/// <summary>
/// The users file as the server knows it. Read at start (a bad file stops the start, see <see cref="UsersFile"/>), then
/// read again when it changes (looked at once a second at most, on a login or a session's check), so
/// <c>tessera user add</c> and <c>remove</c> take effect without a restart; a file that has gone bad meanwhile is logged
/// and the users read before are kept.
/// </summary>
public sealed partial class UserStore
{
    private static readonly TimeSpan LookInterval = TimeSpan.FromSeconds(1);

    private readonly string? _path;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();

    // Verified against when the name is unknown, so an unknown name costs the same hashing as a wrong password.
    private readonly string _decoyHash = UsersFile.HashPassword(Guid.NewGuid().ToString());

    private Dictionary<string, TesseraUser> _users = new(StringComparer.OrdinalIgnoreCase);
    private (DateTime Written, long Length) _version;
    private long _lookedAt;

    /// <summary>A store over <paramref name="path"/> (null: no users file, no password logins).</summary>
    /// <exception cref="InvalidOperationException">The file has problems; the message lists them, with lines.</exception>
    public UserStore(string? path, ILogger<UserStore> logger, TimeProvider? time = null)
    {
        _path = path;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        if (path is not null)
        {
            var (users, problems) = UsersFile.Read(path);
            if (problems.Count > 0)
            {
                throw new InvalidOperationException("Invalid users file:\n  " + string.Join("\n  ", problems));
            }

            Replace(users, Version(path));
        }
    }

    /// <summary>Whether password logins exist at all (a users file is configured).</summary>
    public bool Enabled => _path is not null;

    /// <summary>The user named <paramref name="name"/> (compared without case), or null.</summary>
    public TesseraUser? Find(string name)
    {
        Refresh();
        lock (_gate)
        {
            return _users.GetValueOrDefault(name);
        }
    }

    /// <summary>
    /// The user whose name and password these are, or null. Costs one hash whether or not the name exists, so the time
    /// says nothing about which names do.
    /// </summary>
    public TesseraUser? Verify(string? name, string? password)
    {
        var user = string.IsNullOrEmpty(name) ? null : Find(name);
        var matches = UsersFile.Verify(user?.Hash ?? _decoyHash, password ?? string.Empty);
        return matches && user is not null && !string.IsNullOrEmpty(password) ? user : null;
    }

    private void Refresh()
    {
        if (_path is null)
        {
            return;
        }

        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lookedAt);
        if (last != 0 && _time.GetElapsedTime(last, now) < LookInterval || Interlocked.CompareExchange(ref _lookedAt, now, last) != last)
        {
            return;
        }

        var version = Version(_path);
        lock (_gate)
        {
            if (version == _version)
            {
                return;
            }
        }

        var (users, problems) = UsersFile.Read(_path);
        if (problems.Count > 0)
        {
            KeptOldUsers(_logger, _path, string.Join("; ", problems));
            lock (_gate)
            {
                // Said once per version of the bad file, not once a second.
                _version = version;
            }

            return;
        }

        Replace(users, version);
        Reloaded(_logger, _path, users.Count);
    }

    private void Replace(IReadOnlyList<TesseraUser> users, (DateTime, long) version)
    {
        var map = users.ToDictionary(u => u.Name, StringComparer.OrdinalIgnoreCase);
        lock (_gate)
        {
            _users = map;
            _version = version;
        }
    }

    private static (DateTime, long) Version(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? (info.LastWriteTimeUtc, info.Length) : (DateTime.MinValue, -1);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Users file {Path} read again: {Count} users")]
    private static partial void Reloaded(ILogger logger, string path, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Users file {Path} changed but has problems; the users read before stay: {Problems}")]
    private static partial void KeptOldUsers(ILogger logger, string path, string problems);
}
