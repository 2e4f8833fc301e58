using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Server.Authentication;

namespace Tessera.Server.Tests.Authentication;

/// <summary>
/// The users file read again when it changes (<see cref="Hosting.ReloadedFile{T}"/>): looked at once a second at most,
/// a good edit taken, a bad edit leaving the users read before in place.
/// </summary>
public sealed class UserStoreTests : IDisposable
{
    private static readonly string Hash = UsersFile.HashPassword("a password");

    private readonly string _path = Path.Combine(Path.GetTempPath(), $"tessera-users-{Guid.NewGuid():N}.json");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void An_edit_is_seen_after_a_second_and_a_bad_edit_keeps_the_users_read_before()
    {
        UsersFile.Write(_path, [new("alice", ["staff"], Hash)]);
        var time = new ManualTime();
        var store = new UserStore(_path, NullLogger<UserStore>.Instance, time);
        Assert.NotNull(store.Find("ALICE"));
        Assert.Null(store.Find("bob"));

        // Added, and asked within the second: not looked at yet. Past the second: read again.
        UsersFile.Write(_path, [new("alice", ["staff"], Hash), new("bob", [], Hash)]);
        time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Null(store.Find("bob"));
        time.Advance(TimeSpan.FromMilliseconds(600));
        Assert.NotNull(store.Find("bob"));
        Assert.NotNull(store.Verify("bob", "a password"));

        // A name twice: the file is refused, alice and bob stay (a half-saved edit never signs everyone out).
        File.WriteAllText(_path, "{\"users\": [\n  {\"name\": \"carol\", \"roles\": [], \"hash\": \"" + Hash + "\"},\n  {\"name\": \"Carol\", \"roles\": [], \"hash\": \"" + Hash + "\"}\n]}");
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.NotNull(store.Find("alice"));
        Assert.NotNull(store.Find("bob"));
        Assert.Null(store.Find("carol"));

        // Mended: taken.
        UsersFile.Write(_path, [new("carol", [], Hash)]);
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.NotNull(store.Find("carol"));
        Assert.Null(store.Find("alice"));
    }

    [Fact]
    public void A_bad_file_at_start_is_refused_with_its_line()
    {
        File.WriteAllText(_path, "{\"users\": [\n  {\"name\": \"\", \"roles\": [], \"hash\": \"" + Hash + "\"}\n]}");
        var error = Assert.Throws<InvalidOperationException>(() => new UserStore(_path, NullLogger<UserStore>.Instance));
        Assert.StartsWith("Invalid users file:\n  ", error.Message, StringComparison.Ordinal);
        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
    }

    private sealed class ManualTime : TimeProvider
    {
        private long _now = 1_000_000;

        public override long TimestampFrequency => 1_000_000;

        public override long GetTimestamp() => _now;

        public void Advance(TimeSpan span) => _now += (long)(span.TotalSeconds * 1_000_000);
    }
}
