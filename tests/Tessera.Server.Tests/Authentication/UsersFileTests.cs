using System.Text;
using Tessera.Server.Access;
using Tessera.Server.Authentication;
using Tessera.Server.Hosting;

namespace Tessera.Server.Tests.Authentication;

/// <summary>The users file's format and its checks; the local-URL rule of the login page.</summary>
public sealed class UsersFileTests
{
    private static readonly string Hash = UsersFile.HashPassword("a password");

    private static IReadOnlyList<string> Problems(string text) => UsersFile.Parse(Encoding.UTF8.GetBytes(text), "users.json").Problems;

    [Fact]
    public void What_write_writes_read_reads_back_one_user_per_line()
    {
        var path = Path.Combine(Path.GetTempPath(), $"tessera-users-{Guid.NewGuid():N}.json");
        TesseraUser[] users = [new("alice", ["staff", "reader"], Hash), new("José \"Pepe\"", [], Hash)];

        UsersFile.Write(path, users);
        var (read, problems) = UsersFile.Read(path);
        var lines = File.ReadAllLines(path);
        var mode = OperatingSystem.IsWindows() ? default : File.GetUnixFileMode(path);
        File.Delete(path);

        Assert.Empty(problems);
        Assert.Equal(users.Select(u => (u.Name, string.Join(",", u.Roles), u.Hash)), read.Select(u => (u.Name, string.Join(",", u.Roles), u.Hash)));
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("  {\"name\": \"alice\", \"roles\": [\"staff\", \"reader\"], \"hash\": \"AQAAAA", lines[1], StringComparison.Ordinal);
        Assert.True(OperatingSystem.IsWindows() || mode == (UnixFileMode.UserRead | UnixFileMode.UserWrite), $"mode {mode}");
        Assert.True(UsersFile.Verify(read[0].Hash, "a password"));
        Assert.False(UsersFile.Verify(read[0].Hash, "a Password"));
    }

    [Theory]
    [InlineData("{\"users\": [\n  {\"name\": \"a\", \"roles\": [], \"hash\": \"HASH\"},\n  {\"name\": \"\", \"roles\": [], \"hash\": \"HASH\"}\n]}", "users.json line 3: Expected a name")]
    [InlineData("{\"users\": [\n  {\"name\": \"a\", \"roles\": [\"has space\"], \"hash\": \"HASH\"}\n]}", "users.json line 2: Expected a role name")]
    [InlineData("{\"users\": [\n\n  {\"name\": \"a\", \"roles\": [], \"hash\": \"c2VjcmV0\"}\n]}", "users.json line 3: Expected a PasswordHasher format-3 hash")]
    [InlineData("{\"users\": [\n  {\"name\": \"a\", \"roles\": [], \"password\": \"secret\"}\n]}", "users.json line 2: Expected only the keys name, roles and hash but received \"password\"")]
    [InlineData("{\"users\": [\n  {\"name\": \"a\", \"roles\": [], \"hash\": \"HASH\"},\n  {\"name\": \"A\", \"roles\": [], \"hash\": \"HASH\"}\n]}", "Expected each name once (compared without case) but received \"A\" again")]
    [InlineData("{\"users\": [\n  {\"name\": \"a\" \"roles\": []}\n]}", "users.json line 2: Expected JSON")]
    [InlineData("[]", "users.json line 1: Expected a JSON object")]
    public void A_bad_file_names_the_line_and_the_reason(string text, string expected)
    {
        var problems = Problems(text.Replace("HASH", Hash, StringComparison.Ordinal));

        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_bad_users_file_stops_the_server_at_start_with_its_line()
    {
        var root = Directory.CreateTempSubdirectory("tessera-auth-").FullName;
        var path = Path.Combine(root, "users.json");
        File.WriteAllText(path, "{\"users\": [\n  {\"name\": \"a\", \"roles\": [], \"hash\": \"AAAA\"}\n]}");

        var errors = new TesseraServerOptions { Root = root, Users = path }.Validate();
        var start = Assert.Throws<InvalidOperationException>(() => TesseraServer.Build(new TesseraServerOptions { Root = root, Users = path }, ["http://127.0.0.1:0"]));
        Directory.Delete(root, recursive: true);

        Assert.Contains(errors, e => e.StartsWith($"{path} line 2: Expected a PasswordHasher format-3 hash", StringComparison.Ordinal));
        Assert.Contains($"{path} line 2", start.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/", true)]
    [InlineData("/iiif/3/a.jpg/info.json?x=1", true)]
    [InlineData("//evil.example", false)]
    [InlineData("/\\evil.example", false)]
    [InlineData("https://evil.example/", false)]
    [InlineData("evil", false)]
    [InlineData("/a\r\nLocation: x", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Only_local_paths_are_return_urls(string? url, bool local)
    {
        Assert.Equal(local, LoginPaths.IsLocal(url));
    }

    [Fact]
    public void Sign_in_settings_are_checked_at_start_naming_each_key()
    {
        var errors = new TesseraServerOptions
        {
            Root = Path.GetTempPath(),
            Oidc = new OidcSettings { Authority = "http://login.example.org", ClientId = "" },
            TrustedProxy = new TrustedProxySettings { Header = "X-Remote-User", Addresses = ["10.0.0.0/33", "proxy.example"] },
            Roles = new Dictionary<string, string> { ["g"] = "has space" },
            Login = new LoginSettings { SessionMinutes = 0 },
        }.Validate();

        Assert.Contains(errors, e => e.StartsWith("Expected an https URL (or http on 127.0.0.1, ::1 or localhost) for Oidc:Authority", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Expected a client id for Oidc:ClientId", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("TrustedProxy:Addresses but received \"10.0.0.0/33\"", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("TrustedProxy:Addresses but received \"proxy.example\"", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Roles:g: Expected a role name", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Expected 1..525600 minutes for Login:SessionMinutes", StringComparison.Ordinal));
    }
}
