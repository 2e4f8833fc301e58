using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Tessera.Server.Tests.Operations;

/// <summary>The PromQL expressions of a Grafana dashboard and of Prometheus rules, and the metric names they use.</summary>
public static partial class MonitoringNames
{
    /// <summary>Every <c>expr</c> of the dashboard's panels' targets (and of rows' nested panels).</summary>
    public static IEnumerable<string> Expressions(JsonNode dashboard)
    {
        foreach (var panel in dashboard["panels"]!.AsArray())
        {
            foreach (var inner in (panel!["panels"]?.AsArray() ?? []).Append(panel))
            {
                foreach (var target in inner!["targets"]?.AsArray() ?? [])
                {
                    if (target!["expr"]?.GetValue<string>() is { } expr)
                    {
                        yield return expr;
                    }
                }
            }
        }
    }

    /// <summary>Every <c>expr:</c> of a rules file (single-line or folded with <c>&gt;</c>/<c>|</c>).</summary>
    public static IEnumerable<string> RuleExpressions(string rules)
    {
        var lines = rules.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var match = ExprLine().Match(lines[i]);
            if (!match.Success)
            {
                continue;
            }

            var value = match.Groups[2].Value.Trim();
            if (value is "|" or ">" or "|-" or ">-")
            {
                var indent = match.Groups[1].Value.Length;
                var folded = new List<string>();
                while (i + 1 < lines.Length && (lines[i + 1].Trim().Length == 0 || lines[i + 1].Length - lines[i + 1].TrimStart().Length > indent))
                {
                    folded.Add(lines[++i].Trim());
                }

                value = string.Join(' ', folded);
            }

            yield return value;
        }
    }

    /// <summary>
    /// The metric names of an expression: identifiers of the server's families (tessera_, process_, dotnet_), leaving out
    /// functions, label names inside braces and Prometheus' own <c>up</c>.
    /// </summary>
    public static IEnumerable<string> MetricsOf(string expression)
    {
        var withoutLabels = Braces().Replace(expression, "{}");
        withoutLabels = ByClause().Replace(withoutLabels, string.Empty);
        return Metric().Matches(withoutLabels).Select(m => m.Value);
    }

    [GeneratedRegex(@"^(\s*)(?:- )?expr:\s*(.*)$")]
    private static partial Regex ExprLine();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Braces();

    [GeneratedRegex(@"\b(by|without)\s*\([^)]*\)")]
    private static partial Regex ByClause();

    [GeneratedRegex(@"\b(tessera|process|dotnet)_[a-zA-Z0-9_]+\b")]
    private static partial Regex Metric();
}
