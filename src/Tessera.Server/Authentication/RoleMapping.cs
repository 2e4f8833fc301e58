using System.Security.Claims;

namespace Tessera.Server.Authentication;

/// <summary>
/// Turns what an identity provider or a proxy says about a person (group names, role claims) into Tessera's role names,
/// through the <c>Roles</c> setting (<c>{"library-staff": "staff", "cn=readers,ou=groups": "reader"}</c>; a value may
/// name several roles, separated by commas). With no map, groups are taken as role names as they are; with a map,
/// only the groups it lists give roles, so a group the institution creates later grants nothing by accident.
/// Users-file roles are Tessera's own and are not mapped.
/// </summary>
public sealed class RoleMapping
{
    private readonly Dictionary<string, string[]> _map;

    public RoleMapping(IReadOnlyDictionary<string, string> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        _map = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var (group, roles) in map)
        {
            _map[group] = Split(roles);
        }
    }

    /// <summary>The Tessera roles of someone in <paramref name="groups"/>, each once, in the order first given.</summary>
    public IReadOnlyList<string> Map(IEnumerable<string> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var roles = _map.Count == 0
            ? groups.Select(g => g.Trim()).Where(g => g.Length > 0 && UsersFile.RoleProblem(g) is null)
            : groups.SelectMany(g => _map.GetValueOrDefault(g.Trim()) ?? []);
        return [.. roles.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Role names listed in one string, separated by commas or semicolons (a proxy header, a map value).</summary>
    public static string[] Split(string? list) =>
        list is null ? [] : list.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// Groups listed in a proxy's header: separated by semicolons when there is one (Shibboleth's way, and LDAP DNs keep
    /// their commas), else by commas.
    /// </summary>
    public static string[] SplitGroups(string? list) =>
        list is null ? [] : list.Split(list.Contains(';', StringComparison.Ordinal) ? ';' : ',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// The principal every part of Tessera reads (<c>HttpContext.User</c>): the name as <see cref="ClaimTypes.Name"/>, each
    /// role as a <see cref="ClaimTypes.Role"/> claim, and how the person signed in as the identity's authentication type
    /// (<see cref="SignInMethods"/>).
    /// </summary>
    public static ClaimsPrincipal Principal(string name, IEnumerable<string> roles, string method)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, name) };
        claims.AddRange(roles.Select(r => new Claim(ClaimTypes.Role, r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, method, ClaimTypes.Name, ClaimTypes.Role));
    }
}
