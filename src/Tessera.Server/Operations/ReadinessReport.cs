using System.Text;

namespace Tessera.Server.Operations;

/// <summary>The checks of one readiness probe, each with its problem (null when it passed).</summary>
public sealed record ReadinessReport(IReadOnlyList<(string Check, string? Problem)> Checks)
{
    public bool Ready => Checks.All(c => c.Problem is null);

    /// <summary>Kubernetes' own style: <c>[+]root ok</c> or <c>[-]disk-cache failed: reason</c> per line, then the verdict.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var (check, problem) in Checks)
        {
            text.Append(problem is null ? $"[+]{check} ok\n" : $"[-]{check} failed: {problem}\n");
        }

        return text.Append(Ready ? "readyz check passed\n" : "readyz check failed\n").ToString();
    }
}
