using Microsoft.Playwright;
using Tessera.Server.Authentication;

namespace Tessera.Server.Tests.Viewer;

/// <summary>
/// The viewer tests sign in through Tessera's real login page (<c>/auth/login</c>, a users file with one reader): the
/// access service's window shows it, the test fills it in and submits it.
/// </summary>
internal static class TestLogin
{
    public const string UserName = "reader";

    public const string Password = "reader-password-1";

    /// <summary>Writes a users file holding <see cref="UserName"/> (no roles) for <c>TesseraServerOptions.Users</c>.</summary>
    public static string WriteUsers(string path)
    {
        UsersFile.Write(path, [new TesseraUser(UserName, [], UsersFile.HashPassword(Password))]);
        return path;
    }

    /// <summary>Fills in and submits the login page shown in <paramref name="window"/>.</summary>
    public static async Task SignInAsync(IPage window)
    {
        await window.FillAsync("input[name=name]", UserName);
        await window.FillAsync("input[name=password]", Password);
        await window.ClickAsync("form button[type=submit]");
    }
}
