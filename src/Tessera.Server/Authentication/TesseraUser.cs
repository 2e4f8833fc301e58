namespace Tessera.Server.Authentication;

/// <summary>
/// One person of the users file: a name, the roles access rules name, and the password hash written by ASP.NET Core
/// Identity's <c>PasswordHasher</c> (format 3: PBKDF2 with HMAC-SHA512, a 128-bit salt, 100,000 iterations).
/// </summary>
/// <param name="Name">What the person types on the login page; unique in the file, compared without case.</param>
/// <param name="Roles">Tessera role names, as the rules file names them.</param>
/// <param name="Hash">The base64 password hash; never the password.</param>
public sealed record TesseraUser(string Name, IReadOnlyList<string> Roles, string Hash);
