using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;

namespace Tessera.Server.Authentication;

/// <summary>
/// The users file (<c>--users FILE</c>, settings key <c>Users</c>): JSON, one user per line, as <c>tessera user add</c>
/// writes it, so a diff shows who changed:
/// <code>
/// {"users": [
///   {"name": "alice", "roles": ["staff"], "hash": "AQAAAAIAAYagAAAAE..."},
///   {"name": "bob", "roles": [], "hash": "AQAAAAIAAYagAAAAE..."}
/// ]}
/// </code>
/// Reading checks everything (names, roles, the hash's format) and names the line of each problem, so a bad file stops
/// the server at start rather than locking people out later.
/// </summary>
public static class UsersFile
{
    private static readonly PasswordHasher<TesseraUser> Hasher = new();

    /// <summary>The users in <paramref name="path"/>, or every problem found, each with its line.</summary>
    public static (IReadOnlyList<TesseraUser> Users, IReadOnlyList<string> Problems) Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ([], [$"Expected a readable users file for Users (--users) but \"{path}\" could not be read: {e.Message}"]);
        }

        return Parse(bytes, path);
    }

    /// <summary>Parses a users file's bytes; <paramref name="path"/> only names it in problems.</summary>
    public static (IReadOnlyList<TesseraUser> Users, IReadOnlyList<string> Problems) Parse(ReadOnlySpan<byte> bytes, string path)
    {
        var users = new List<TesseraUser>();
        var problems = new List<string>();
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return ([], [$"{path} line 1: Expected a JSON object {{\"users\": [...]}} but received {Describe(ref reader)}"]);
            }

            var sawUsers = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = reader.GetString()!;
                var keyLine = LineOf(bytes, reader.TokenStartIndex);
                reader.Read();
                if (key == "users")
                {
                    sawUsers = true;
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        problems.Add($"{path} line {keyLine}: Expected an array for \"users\" but received {Describe(ref reader)}");
                        reader.Skip();
                        continue;
                    }

                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        ReadUser(ref reader, bytes, path, users, problems);
                    }
                }
                else if (key.StartsWith("//", StringComparison.Ordinal))
                {
                    reader.Skip();
                }
                else
                {
                    problems.Add($"{path} line {keyLine}: Expected only the key \"users\" (or \"//...\" comments) but received \"{key}\"");
                    reader.Skip();
                }
            }

            if (!sawUsers)
            {
                problems.Add($"{path} line 1: Expected the key \"users\" (an array, which may be empty) but received none");
            }
        }
        catch (JsonException e)
        {
            problems.Add($"{path} line {(e.LineNumber ?? 0) + 1}: Expected JSON but received something else ({e.Message})");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var user in users.Where(u => !seen.Add(u.Name)))
        {
            problems.Add($"{path}: Expected each name once (compared without case) but received \"{user.Name}\" again");
        }

        return (users, problems);
    }

    private static void ReadUser(ref Utf8JsonReader reader, ReadOnlySpan<byte> bytes, string path, List<TesseraUser> users, List<string> problems)
    {
        var line = LineOf(bytes, reader.TokenStartIndex);
        var where = $"{path} line {line}";
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            problems.Add($"{where}: Expected a user {{\"name\", \"roles\", \"hash\"}} but received {Describe(ref reader)}");
            reader.Skip();
            return;
        }

        string? name = null, hash = null;
        var roles = new List<string>();
        var count = problems.Count;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            reader.Read();
            switch (key)
            {
                case "name" when reader.TokenType == JsonTokenType.String:
                    name = reader.GetString();
                    break;
                case "hash" when reader.TokenType == JsonTokenType.String:
                    hash = reader.GetString();
                    break;
                case "roles" when reader.TokenType == JsonTokenType.StartArray:
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType == JsonTokenType.String)
                        {
                            roles.Add(reader.GetString()!);
                        }
                        else
                        {
                            problems.Add($"{where}: Expected role names (strings) in \"roles\" but received {Describe(ref reader)}");
                            reader.Skip();
                        }
                    }

                    break;
                case "name" or "hash" or "roles":
                    problems.Add($"{where}: Expected {(key == "roles" ? "an array of strings" : "a string")} for \"{key}\" but received {Describe(ref reader)}");
                    reader.Skip();
                    break;
                default:
                    problems.Add($"{where}: Expected only the keys name, roles and hash but received \"{key}\"");
                    reader.Skip();
                    break;
            }
        }

        if (NameProblem(name) is { } nameProblem)
        {
            problems.Add($"{where}: {nameProblem}");
        }

        foreach (var role in roles)
        {
            if (RoleProblem(role) is { } roleProblem)
            {
                problems.Add($"{where}: {roleProblem}");
            }
        }

        if (HashProblem(hash) is { } hashProblem)
        {
            problems.Add($"{where}: {hashProblem}");
        }

        if (problems.Count == count)
        {
            users.Add(new TesseraUser(name!, [.. roles.Distinct(StringComparer.Ordinal)], hash!));
        }
    }

    /// <summary>Why <paramref name="name"/> cannot be a user's name, or null: 1..100 characters, no control characters, no spaces at either end.</summary>
    public static string? NameProblem(string? name) =>
        name is null or { Length: 0 } ? "Expected a name (1..100 characters) but received none"
        : name.Length > 100 || name.Any(char.IsControl) || name.Trim() != name
            ? $"Expected a name of 1..100 characters without control characters or spaces at either end but received \"{Escape(name)}\""
            : null;

    /// <summary>Why <paramref name="role"/> cannot be a role name, or null: 1..100 characters, no spaces, commas, semicolons or control characters.</summary>
    public static string? RoleProblem(string role) =>
        role.Length is 0 or > 100 || role.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is ',' or ';')
            ? $"Expected a role name of 1..100 characters without spaces, commas or semicolons but received \"{Escape(role)}\""
            : null;

    /// <summary>Why <paramref name="hash"/> is not a PasswordHasher format-3 hash, or null. The password itself is never in the file.</summary>
    public static string? HashProblem(string? hash)
    {
        if (string.IsNullOrEmpty(hash))
        {
            return "Expected a password hash (written by tessera user add) but received none";
        }

        var bytes = new byte[hash.Length];
        if (!Convert.TryFromBase64String(hash, bytes, out var length))
        {
            return "Expected a base64 password hash (written by tessera user add) but received something else";
        }

        // Format 3: 0x01, PRF, iteration count, salt length (big-endian uint32 each), salt, subkey.
        if (length < 13 || bytes[0] != 0x01)
        {
            return $"Expected a PasswordHasher format-3 hash (first byte 1) but received {length} bytes starting with {(length > 0 ? bytes[0] : 0)}";
        }

        var prf = ReadUInt32(bytes, 1);
        var iterations = ReadUInt32(bytes, 5);
        var saltLength = ReadUInt32(bytes, 9);
        return prf > 2 || iterations < 10_000 || saltLength < 16 || length - 13 - (long)saltLength < 16
            ? $"Expected a PasswordHasher format-3 hash (PRF 0..2, 10000 or more iterations, salt and subkey of 16 bytes or more) but received PRF {prf}, {iterations} iterations, salt {saltLength} bytes, {length} bytes in all"
            : null;
    }

    /// <summary>A new hash of <paramref name="password"/> (format 3, a fresh salt).</summary>
    public static string HashPassword(string password) => Hasher.HashPassword(null!, password);

    /// <summary>Whether <paramref name="password"/> is the one <paramref name="hash"/> was made from (constant time in the password).</summary>
    public static bool Verify(string hash, string password) =>
        Hasher.VerifyHashedPassword(null!, hash, password) is not PasswordVerificationResult.Failed;

    /// <summary>
    /// Writes <paramref name="users"/> to <paramref name="path"/> atomically (a temporary file renamed over it), readable
    /// by its owner only when it is new: hashes are slow to crack, not impossible.
    /// </summary>
    public static void Write(string path, IEnumerable<TesseraUser> users)
    {
        var text = new StringBuilder("{\"users\": [\n");
        var lines = users.Select(Line).ToList();
        text.AppendJoin(",\n", lines);
        text.Append(lines.Count > 0 ? "\n]}\n" : "]}\n");

        var full = Path.GetFullPath(path);
        var temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = File.Exists(full) ? File.GetUnixFileMode(full) : UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
        {
            writer.Write(text.ToString());
        }

        File.Move(temporary, full, overwrite: true);
    }

    private static string Line(TesseraUser user)
    {
        string Json<T>(T value) => JsonSerializer.Serialize(value, LineJson);
        var roles = string.Join(", ", user.Roles.Select(Json));
        return $"  {{\"name\": {Json(user.Name)}, \"roles\": [{roles}], \"hash\": {Json(user.Hash)}}}";
    }

    private static readonly JsonSerializerOptions LineJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static uint ReadUInt32(byte[] bytes, int offset) =>
        (uint)(bytes[offset] << 24 | bytes[offset + 1] << 16 | bytes[offset + 2] << 8 | bytes[offset + 3]);

    private static int LineOf(ReadOnlySpan<byte> bytes, long offset) => bytes[..(int)offset].Count((byte)'\n') + 1;

    private static string Describe(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => $"the string \"{Escape(reader.GetString()!)}\"",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.None => "nothing",
        _ => reader.TokenType.ToString(),
    };

    private static string Escape(string value) => value.Length > 60 ? value[..60] + "..." : new string([.. value.Select(c => char.IsControl(c) ? '?' : c)]);
}
