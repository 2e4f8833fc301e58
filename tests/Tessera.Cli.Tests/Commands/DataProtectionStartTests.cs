using System.Diagnostics;
using Tessera.Cli.Commands;

namespace Tessera.Cli.Tests.Commands;

/// <summary>
/// A server nobody can sign in to makes no session key at start (data protection's key ring, its XML and crypto code,
/// are left unloaded); one with a users file does, where ASP.NET keeps keys by default (<c>$HOME/.aspnet</c>).
/// </summary>
public sealed class DataProtectionStartTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("tessera-home-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_session_key_is_made_at_start_only_when_someone_can_sign_in(bool users)
    {
        var root = Directory.CreateDirectory(Path.Combine(_home, "root")).FullName;
        var usersFile = Path.Combine(_home, "users.json");
        await File.WriteAllTextAsync(usersFile, "{\"users\": []}\n", TestContext.Current.CancellationToken);
        var port = CliRunner.FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["HOME"] = _home;
        foreach (var arg in (string[])[typeof(TesseraCommand).Assembly.Location, "serve", "--root", root, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--cache", "none", .. users ? ["--users", usersFile] : (string[])[]])
        {
            start.ArgumentList.Add(arg);
        }

        using var child = Process.Start(start)!;
        var output = child.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = child.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            await CliRunner.WaitUntilReadyAsync(child, port);
            var keys = Path.Combine(_home, ".aspnet", "DataProtection-Keys");
            Assert.Equal(users, Directory.Exists(keys) && Directory.EnumerateFiles(keys, "key-*.xml").Any());
        }
        finally
        {
            child.Kill();
            await child.WaitForExitAsync(TestContext.Current.CancellationToken);
            _ = await output;
            _ = await error;
        }
    }
}
