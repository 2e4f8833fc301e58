using System.Text.Json;
using System.Text.RegularExpressions;
using Tessera.Testing;
using YamlDotNet.RepresentationModel;

namespace Tessera.Cli.Tests.Docs;

/// <summary>
/// What deploy/ says, read the way the tools read it (the Dockerfile's instructions, compose.yaml, the Kubernetes
/// manifests), so that <see cref="DeploymentFilesTests"/> can hold it against the code without building an image.
/// </summary>
internal static partial class DeploymentFiles
{
    public static string Folder => Repository.PathOf("deploy");

    /// <summary>The Dockerfile's instructions in order, continuation lines joined and comments dropped.</summary>
    public static IReadOnlyList<(string Keyword, string Arguments)> DockerfileInstructions()
    {
        var instructions = new List<(string, string)>();
        var pending = "";
        foreach (var raw in File.ReadLines(Path.Combine(Folder, "Dockerfile")))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || (line.Length == 0 && pending.Length == 0))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }

            var whole = (pending + line).Trim();
            pending = "";
            var space = whole.IndexOf(' ', StringComparison.Ordinal);
            instructions.Add((whole[..space].ToUpperInvariant(), whole[(space + 1)..].Trim()));
        }

        return instructions;
    }

    /// <summary>The single instruction with this keyword.</summary>
    public static string Dockerfile(string keyword)
    {
        var found = DockerfileInstructions().Where(i => i.Keyword == keyword).ToList();
        Assert.True(found.Count == 1, $"Expected one {keyword} in deploy/Dockerfile but found {found.Count}");
        return found[0].Arguments;
    }

    /// <summary>An exec-form instruction (<c>["a", "b"]</c>) as its words.</summary>
    public static string[] ExecForm(string json) => JsonSerializer.Deserialize<string[]>(json)
        ?? throw new InvalidDataException($"Expected a JSON array of strings but received {json}");

    /// <summary>The image's environment (ENV KEY=value ..., values without spaces).</summary>
    public static Dictionary<string, string> DockerfileEnvironment() =>
        DockerfileInstructions().Where(i => i.Keyword == "ENV")
            .SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);

    /// <summary>The health check's command (after HEALTHCHECK's options), its port and its path.</summary>
    public static (int Port, string Path) HealthCheck()
    {
        var rest = Dockerfile("HEALTHCHECK");
        var command = string.Join(' ', ExecForm(rest[(rest.IndexOf("CMD ", StringComparison.Ordinal) + 4)..]));
        var port = TcpPort().Match(command);
        var path = HttpGet().Match(command);
        Assert.True(port.Success && path.Success, $"Expected /dev/tcp/127.0.0.1/PORT and GET /path in the HEALTHCHECK but received {command}");
        return (int.Parse(port.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), path.Groups[1].Value);
    }

    /// <summary>The uid the image's user is made with (useradd --uid N).</summary>
    public static long ImageUserId()
    {
        var run = DockerfileInstructions().Where(i => i.Keyword == "RUN").Select(i => UserAdd().Match(i.Arguments)).Single(m => m.Success);
        return long.Parse(run.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Every YAML document of a file under deploy/ (a Kubernetes file holds several).</summary>
    public static IReadOnlyList<YamlMappingNode> Yaml(string relativePath)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(Folder, relativePath)))
        {
            stream.Load(reader);
        }

        return [.. stream.Documents.Select(d => (YamlMappingNode)d.RootNode)];
    }

    /// <summary>Every Kubernetes object in deploy/k8s/.</summary>
    public static IReadOnlyList<YamlMappingNode> KubernetesObjects() =>
        [.. Directory.GetFiles(Path.Combine(Folder, "k8s"), "*.yaml").Order(StringComparer.Ordinal)
            .Where(f => Path.GetFileName(f) != "kustomization.yaml")
            .SelectMany(f => Yaml(Path.Combine("k8s", Path.GetFileName(f))))];

    /// <summary>The pod spec of a workload (Deployment, Job, CronJob), with the Job spec around it (null for a Deployment).</summary>
    public static (YamlMappingNode Pod, YamlMappingNode? Job) PodSpec(YamlMappingNode workload)
    {
        var spec = Map(workload, "spec");
        return Text(workload, "kind") switch
        {
            "Deployment" => (Map(Map(spec, "template"), "spec"), null),
            "Job" => (Map(Map(spec, "template"), "spec"), spec),
            "CronJob" => (Map(Map(Map(Map(spec, "jobTemplate"), "spec"), "template"), "spec"), Map(Map(spec, "jobTemplate"), "spec")),
            var kind => throw new InvalidDataException($"Expected a Deployment, Job or CronJob but received {kind}"),
        };
    }

    public static YamlMappingNode Map(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlMappingNode map
            ? map
            : throw new InvalidDataException($"Expected a mapping under \"{key}\" but found none");

    public static YamlMappingNode? OptionalMap(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child as YamlMappingNode : null;

    public static IEnumerable<YamlNode> Sequence(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlSequenceNode list ? list.Children : [];

    public static string? Text(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlScalarNode scalar ? scalar.Value : null;

    [GeneratedRegex(@"/dev/tcp/127\.0\.0\.1/(\d+)")]
    private static partial Regex TcpPort();

    [GeneratedRegex(@"GET (/\S*) HTTP")]
    private static partial Regex HttpGet();

    [GeneratedRegex(@"useradd\b.*--uid (\d+)")]
    private static partial Regex UserAdd();
}
