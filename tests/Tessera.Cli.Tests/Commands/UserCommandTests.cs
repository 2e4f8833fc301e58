using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Tessera.Cli.Commands;

namespace Tessera.Cli.Tests.Commands;

/// <summary><c>tessera user</c> as a child process (the password on standard input), then the file it wrote served by <c>tessera serve --users</c>.</summary>
public sealed partial class UserCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tessera-user-").FullName;

    private string UsersFile => Path.Combine(_folder, "users.json");

    private static async Task<(int Exit, string Out, string Error)> RunAsync(string? standardInput, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(TesseraCommand).Assembly.Location);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
        }

        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await output, await error);
    }

    [Fact]
    public async Task Add_list_and_remove_round_trip_and_the_password_is_never_in_the_file()
    {
        var alice = await RunAsync("correct horse battery\n", "user", "add", UsersFile, "alice", "--role", "staff", "--role", "reader");
        var bob = await RunAsync("another password\n", "user", "add", "--users", UsersFile, "bob");
        var list = await RunAsync(null, "user", "list", UsersFile);

        Assert.Equal((0, ""), (alice.Exit, alice.Error));
        Assert.Equal((0, ""), (bob.Exit, bob.Error));
        Assert.Equal("alice\tstaff,reader\nbob\t\n", list.Out);
        var text = await File.ReadAllTextAsync(UsersFile);
        Assert.DoesNotContain("correct horse", text, StringComparison.Ordinal);
        Assert.Equal(4, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        var removed = await RunAsync(null, "user", "remove", UsersFile, "BOB");
        Assert.Equal(0, removed.Exit);
        Assert.Equal("alice\tstaff,reader\n", (await RunAsync(null, "user", "list", "--users", UsersFile)).Out);
    }

    [Fact]
    public async Task An_existing_name_a_short_password_and_no_password_are_refused_and_nothing_is_written()
    {
        await RunAsync("correct horse battery\n", "user", "add", UsersFile, "alice");
        var before = await File.ReadAllTextAsync(UsersFile);

        var again = await RunAsync("another password\n", "user", "add", UsersFile, "Alice");
        var shortPassword = await RunAsync("short\n", "user", "add", UsersFile, "carol");
        var none = await RunAsync("", "user", "add", UsersFile, "dave");
        var missing = await RunAsync(null, "user", "remove", UsersFile, "nobody");

        Assert.Equal(2, again.Exit);
        Assert.Contains("\"Alice\" is already in", again.Error, StringComparison.Ordinal);
        Assert.Equal(2, shortPassword.Exit);
        Assert.Contains("Expected a password of 8 or more characters on standard input but received 5", shortPassword.Error, StringComparison.Ordinal);
        Assert.Equal(2, none.Exit);
        Assert.Equal(2, missing.Exit);
        Assert.Equal(before, await File.ReadAllTextAsync(UsersFile));
    }

    [Fact]
    public async Task Serve_with_the_file_the_command_wrote_signs_alice_in_and_refuses_a_bad_file_with_its_line()
    {
        await RunAsync("correct horse battery\n", "user", "add", UsersFile, "alice", "--role", "staff");
        var port = CliRunner.FreePort();
        using var server = Process.Start(ServeStart("--root", _folder, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--users", UsersFile, "--cache", "none"))!;
        try
        {
            await CliRunner.WaitUntilReadyAsync(server, port);
            using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
            using var client = new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var page = await client.GetStringAsync("/auth/login");
            var token = Token().Match(page);
            using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "alice", ["password"] = "correct horse battery", [token.Groups[1].Value] = WebUtility.HtmlDecode(token.Groups[2].Value) });
            using var response = await client.PostAsync("/auth/login", form);

            Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
            Assert.Equal("{\"authenticated\":true,\"name\":\"alice\",\"roles\":[\"staff\"],\"via\":\"password\"}", await client.GetStringAsync("/auth/me"));
        }
        finally
        {
            server.Kill();
            await server.WaitForExitAsync();
        }

        await File.WriteAllTextAsync(UsersFile, "{\"users\": [\n  {\"name\": \"alice\", \"roles\": [\"staff\"]}\n]}\n");
        using var refused = Process.Start(ServeStart("--root", _folder, "--port", CliRunner.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), "--users", UsersFile))!;
        var error = await refused.StandardError.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await refused.WaitForExitAsync();

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains($"{UsersFile} line 2: Expected a password hash", error, StringComparison.Ordinal);
    }

    private static ProcessStartInfo ServeStart(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(TesseraCommand).Assembly.Location);
        start.ArgumentList.Add("serve");
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }


    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [GeneratedRegex("<input type=\"hidden\" name=\"(__antiforgery)\" value=\"([^\"]+)\">")]
    private static partial Regex Token();
}
