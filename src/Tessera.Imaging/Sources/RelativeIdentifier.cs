namespace Tessera.Imaging.Sources;

/// <summary>
/// The identifier rules of sources addressed by relative paths (files under a folder today; object keys under a prefix,
/// paths under an HTTP origin later): non-empty, at most 1024 characters, no control characters or backslashes, not
/// absolute, no empty, <c>.</c> or <c>..</c> segments. What passes cannot name anything outside the root by its
/// spelling alone; a resolver still checks what the spelling leads to (symbolic links).
/// </summary>
public static class RelativeIdentifier
{
    /// <summary>Why an identifier is refused outright, or null when it is acceptable as a relative path.</summary>
    public static string? Problem(string identifier)
    {
        if (string.IsNullOrEmpty(identifier))
        {
            return "Expected a non-empty identifier";
        }

        if (identifier.Length > 1024)
        {
            return $"Expected an identifier of at most 1024 characters but received {identifier.Length}";
        }

        foreach (var c in identifier)
        {
            if (char.IsControl(c))
            {
                return "Expected an identifier without control characters (NUL, newline, ...)";
            }

            if (c == '\\')
            {
                return "Expected an identifier without backslashes";
            }
        }

        if (identifier[0] == '/')
        {
            return "Expected a relative identifier but received an absolute path";
        }

        foreach (var segment in identifier.Split('/'))
        {
            if (segment is "" or "." or "..")
            {
                return $"Expected an identifier without empty, \".\" or \"..\" path segments but received \"{identifier}\"";
            }
        }

        return null;
    }
}
