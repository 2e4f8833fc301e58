using System.Net;

namespace Tessera.Server.Authentication;

/// <summary>The addresses a trusted proxy connects from: single addresses and CIDR ranges, IPv4 and IPv6 (IPv4-mapped IPv6 counts as IPv4).</summary>
public sealed class ProxyAddresses
{
    private readonly IReadOnlyList<IPNetwork> _networks;

    private ProxyAddresses(IReadOnlyList<IPNetwork> networks) => _networks = networks;

    /// <summary>Parses <paramref name="entries"/> (<c>10.0.0.5</c>, <c>10.1.0.0/16</c>, <c>::1</c>); problems name the setting and the entry.</summary>
    public static (ProxyAddresses Addresses, IReadOnlyList<string> Problems) Parse(IEnumerable<string> entries)
    {
        var networks = new List<IPNetwork>();
        var problems = new List<string>();
        foreach (var entry in entries)
        {
            var text = entry.Trim();
            if (IPNetwork.TryParse(text, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(text, out var address))
            {
                networks.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                problems.Add($"Expected an IP address or CIDR range (10.0.0.5, 10.1.0.0/16, ::1) in TrustedProxy:Addresses but received \"{entry}\"");
            }
        }

        return (new ProxyAddresses(networks), problems);
    }

    /// <summary>Whether a connection from <paramref name="remote"/> comes from a trusted proxy. No address (a test host, a pipe) is not trusted.</summary>
    public bool Contains(IPAddress? remote)
    {
        if (remote is null)
        {
            return false;
        }

        if (remote.IsIPv4MappedToIPv6)
        {
            remote = remote.MapToIPv4();
        }

        foreach (var network in _networks)
        {
            if (network.Contains(remote))
            {
                return true;
            }
        }

        return false;
    }
}
