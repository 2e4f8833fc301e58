using System.Security.Claims;
using System.Text.RegularExpressions;
using Tessera.Core.Planning;
using Tessera.Imaging.Rendering;

namespace Tessera.Server.Access;

/// <summary>
/// One rule of the access file: a glob over identifiers (<c>*</c> within a folder, <c>**</c> across folders, <c>?</c> one
/// character) and what it grants. Rules are tried in order; the first that matches decides.
/// </summary>
public sealed record AccessRule
{
    public required string Match { get; init; }

    public required AccessKind Access { get; init; }

    /// <summary>For <c>login</c> and <c>degraded</c>: the roles, any of which authorises; empty means any signed-in user.</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>For <c>degraded</c>: the most pixels on the long side the public gets.</summary>
    public int MaxSize { get; init; }

    /// <summary>For <c>degraded</c>: the mark drawn on what the public gets, or null.</summary>
    public Watermark? Watermark { get; init; }

    public AccessServiceProfile Profile { get; init; } = AccessServiceProfile.Active;

    /// <summary>The access service's label, heading and note (Auth 2.0 §3.3.1), shown by clients before they open it.</summary>
    public string Label { get; init; } = "Log in to Tessera";

    public string Heading { get; init; } = "Please log in";

    public string Note { get; init; } = "This image is available to authorised users; log in to see it.";

    /// <summary>
    /// Boxes blacked out of the image for everyone, administrators included, before any scaling (docs/access.md,
    /// "Redaction"); empty for none. Any kind of rule may carry them.
    /// </summary>
    public IReadOnlyList<RedactionBox> Redact { get; init; } = [];

    /// <summary>The line of the rules file the rule starts on, for messages.</summary>
    public int Line { get; init; }

    /// <summary>The rule every identifier no rule matches gets.</summary>
    public static AccessRule PublicDefault { get; } = new() { Match = "**", Access = AccessKind.Public };

    internal Regex Pattern => _pattern ??= Glob(Match);

    private Regex? _pattern;

    /// <summary>Whether <paramref name="user"/> gets everything this rule guards: signed in and, if the rule names roles, in one (administrators always).</summary>
    public bool Authorises(ClaimsPrincipal user, string adminRole)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true)
        {
            return false;
        }

        return Roles.Count == 0 || user.IsInRole(adminRole) || Roles.Any(user.IsInRole);
    }

    /// <summary>The glob as an anchored regular expression: <c>**/</c> any folders (or none), <c>**</c> anything, <c>*</c> within a folder.</summary>
    internal static Regex Glob(string glob)
    {
        var pattern = new System.Text.StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                var slash = i + 2 < glob.Length && glob[i + 2] == '/';
                pattern.Append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else
            {
                pattern.Append(c switch
                {
                    '*' => "[^/]*",
                    '?' => "[^/]",
                    _ => Regex.Escape(c.ToString()),
                });
            }
        }

        return new Regex(pattern.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
    }
}
