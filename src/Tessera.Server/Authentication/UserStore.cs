using Microsoft.Extensions.Logging;
using Tessera.Server.Hosting;

namespace Tessera.Server.Authentication;

/// <summary>
/// The users file as the server knows it. Read at start (a bad file stops the start, see <see cref="UsersFile"/>), then
/// read again when it changes (looked at once a second at most, on a login or a session's check), so
/// <c>tessera user add</c> and <c>remove</c> take effect without a restart; a file that has gone bad meanwhile is logged
/// and the users read before are kept.
/// </summary>
public sealed partial class UserStore
{
    private readonly ReloadedFile<Dictionary<string, TesseraUser>>? _file;

    // Verified against when the name is unknown, so an unknown name costs the same hashing as a wrong password.
    private readonly string _decoyHash = UsersFile.HashPassword(Guid.NewGuid().ToString());

    /// <summary>A store over <paramref name="path"/> (null: no users file, no password logins).</summary>
    /// <exception cref="InvalidOperationException">The file has problems; the message lists them, with lines.</exception>
    public UserStore(string? path, ILogger<UserStore> logger, TimeProvider? time = null)
    {
        if (path is not null)
        {
            _file = new(
                path,
                "users file",
                p =>
                {
                    var (users, problems) = UsersFile.Read(p);
                    // A file with problems is not taken (its lines may repeat a name): its users are not mapped.
                    var map = problems.Count > 0 ? [] : users.ToDictionary(u => u.Name, StringComparer.OrdinalIgnoreCase);
                    return (map, problems);
                },
                users => Reloaded(logger, path, users.Count),
                problems => KeptOldUsers(logger, path, string.Join("; ", problems)),
                time);
        }
    }

    /// <summary>Whether password logins exist at all (a users file is configured).</summary>
    public bool Enabled => _file is not null;

    /// <summary>The user named <paramref name="name"/> (compared without case), or null.</summary>
    public TesseraUser? Find(string name) => _file?.Current.GetValueOrDefault(name);

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Users file {Path} read again: {Count} users")]
    private static partial void Reloaded(ILogger logger, string path, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Users file {Path} changed but has problems; the users read before stay: {Problems}")]
    private static partial void KeptOldUsers(ILogger logger, string path, string problems);
}
