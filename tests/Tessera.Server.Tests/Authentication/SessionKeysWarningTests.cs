using Microsoft.Extensions.Logging;
using Tessera.Server.Authentication;
using Tessera.Server.Hosting;
using Tessera.Server.Tests.Fixtures;

namespace Tessera.Server.Tests.Authentication;

/// <summary>
/// A server where people sign in but whose session keys live in ASP.NET Core's default place (in the container, lost at
/// restart, not shared) says so once at start; one with <c>Login:KeysDirectory</c>, or without sign-in, says nothing.
/// </summary>
public sealed class SessionKeysWarningTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("tessera-keys-warning-");

    [Fact]
    public async Task Sign_in_without_a_keys_directory_is_warned_about_once_at_start()
    {
        using var logs = await StartAsync(o => o with { Users = WriteUsers() });

        var warnings = logs.Entries.Where(e => e.Level == LogLevel.Warning && e.Message.Contains("Login:KeysDirectory", StringComparison.Ordinal)).ToList();
        Assert.Single(warnings);
        Assert.Equal(AuthenticationSetup.NoKeysDirectoryWarning, warnings[0].Message);
    }

    [Fact]
    public async Task Sign_in_with_a_keys_directory_is_not_warned_about_and_its_keys_are_written_there()
    {
        var keys = Path.Combine(_folder.FullName, "keys");
        using var logs = await StartAsync(o => o with { Users = WriteUsers(), Login = o.Login with { KeysDirectory = keys } }, "/auth/login");

        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains("Login:KeysDirectory", StringComparison.Ordinal));
        Assert.NotEmpty(Directory.GetFiles(keys, "key-*.xml"));
    }

    [Fact]
    public async Task A_server_without_sign_in_is_not_warned_about()
    {
        using var logs = await StartAsync(o => o);

        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains("Login:KeysDirectory", StringComparison.Ordinal));
    }

    public void Dispose() => _folder.Delete(recursive: true);

    /// <summary>Starts a server over an empty root, asks <paramref name="path"/> once (making the key ring), and stops it.</summary>
    private async Task<CapturedLogs> StartAsync(Func<TesseraServerOptions, TesseraServerOptions> configure, string path = "/healthz")
    {
#pragma warning disable CA2000 // Owner: the caller, which disposes the logs it is given.
        var logs = new CapturedLogs();
#pragma warning restore CA2000
        var root = Directory.CreateDirectory(Path.Combine(_folder.FullName, $"root-{Guid.NewGuid():N}")).FullName;
        var options = configure(new TesseraServerOptions { Root = root, Cache = CacheMode.None });
        await using (var app = TesseraServer.Build(options, ["http://127.0.0.1:0"], builder => builder.Logging.AddProvider(logs)))
        {
            await app.StartAsync(TestContext.Current.CancellationToken);
            var address = app.Urls.First();
            using var client = new HttpClient { BaseAddress = new Uri(address) };
            using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
            Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
            await app.StopAsync(TestContext.Current.CancellationToken);
        }

        return logs;
    }

    private string WriteUsers()
    {
        var path = Path.Combine(_folder.FullName, "users.json");
        UsersFile.Write(path, [new TesseraUser("alice", ["staff"], UsersFile.HashPassword("a password of some length"))]);
        return path;
    }
}
