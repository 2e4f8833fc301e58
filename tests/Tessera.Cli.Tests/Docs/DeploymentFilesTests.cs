using System.CommandLine;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Cli.Commands;
using Tessera.Imaging.Batch;
using Tessera.Server.Hosting;
using YamlDotNet.RepresentationModel;

namespace Tessera.Cli.Tests.Docs;

/// <summary>
/// Keeps deploy/ (Dockerfile, compose.yaml, k8s/) true to the code without building an image (CI has no registry, and
/// a build takes minutes): every <c>Tessera__</c> variable binds to a setting and validates as <c>tessera serve</c>
/// would bind it, every command line parses with the real command definitions, the health checks ask a path the
/// server answers, the ports agree, and the pods run as the image's user on a read-only root with somewhere to write.
/// </summary>
public sealed class DeploymentFilesTests
{
    private const string Entrypoint = "tessera";
    private const string KeysVariable = "Tessera__Login__KeysDirectory";

    [Fact]
    public void The_images_environment_binds_to_settings_that_validate()
    {
        AssertSettingsValid("deploy/Dockerfile", DeploymentFiles.DockerfileEnvironment());
    }

    /// <summary>The memory settings of the process (glibc's allocator, the young generation) are the ones the <c>tessera</c> script sets.</summary>
    [Theory]
    [InlineData("GLIBC_TUNABLES")]
    [InlineData("DOTNET_GCgen0MaxBudget")]
    public void The_image_sets_the_process_variables_the_script_sets(string variable)
    {
        var script = File.ReadAllText(Tessera.Testing.Repository.PathOf("tessera"));
        var match = System.Text.RegularExpressions.Regex.Match(script, $@"export {variable}=""\$\{{{variable}:-([^}}]+)\}}""");
        Assert.True(match.Success, $"the tessera script does not export a default {variable}");
        Assert.Equal(match.Groups[1].Value, DeploymentFiles.DockerfileEnvironment()[variable]);
    }

    [Fact]
    public void The_compose_services_environment_binds_to_settings_that_validate()
    {
        var service = ComposeService();
        var environment = DeploymentFiles.Map(service, "environment").Children
            .ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => ((YamlScalarNode)kv.Value).Value!, StringComparer.Ordinal);

        AssertSettingsValid("deploy/compose.yaml", environment);
    }

    [Fact]
    public void Every_Kubernetes_containers_environment_binds_to_settings_that_validate()
    {
        var checkedAny = false;
        foreach (var (name, container, _, _) in Containers())
        {
            var environment = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var variable in DeploymentFiles.Sequence(container, "env").Cast<YamlMappingNode>())
            {
                // A value from a Secret is not known here; its name must still be a setting (a placeholder that binds).
                environment[DeploymentFiles.Text(variable, "name")!] = DeploymentFiles.Text(variable, "value") ?? "placeholder-secret-of-32-characters";
            }

            // The batch commands take flags, not settings: only a container that sets some is checked.
            if (environment.Keys.Any(k => k.StartsWith("Tessera__", StringComparison.Ordinal)))
            {
                AssertSettingsValid($"deploy/k8s {name}", environment);
                checkedAny = true;
            }
        }

        Assert.True(checkedAny, "No container in deploy/k8s sets a Tessera__ variable: the server's settings are missing");
    }

    [Fact]
    public void The_images_command_line_parses()
    {
        Assert.Equal([Entrypoint], DeploymentFiles.ExecForm(DeploymentFiles.Dockerfile("ENTRYPOINT")));
        AssertParses("deploy/Dockerfile CMD", DeploymentFiles.ExecForm(DeploymentFiles.Dockerfile("CMD")));
    }

    [Fact]
    public void Every_Kubernetes_command_line_parses_for_every_index_and_the_shards_cover_the_job()
    {
        foreach (var (name, container, _, job) in Containers())
        {
            Assert.False(container.Children.ContainsKey(new YamlScalarNode("command")), $"{name} replaces the image's entrypoint ({Entrypoint}); give args only");
            var args = DeploymentFiles.Sequence(container, "args").Cast<YamlScalarNode>().Select(a => a.Value!).ToArray();
            var indexed = job is not null && DeploymentFiles.Text(job, "completionMode") == "Indexed";
            var completions = job is null ? 1 : int.Parse(DeploymentFiles.Text(job, "completions") ?? "1", CultureInfo.InvariantCulture);
            var usesIndex = args.Any(a => a.Contains("$(JOB_COMPLETION_INDEX)", StringComparison.Ordinal));
            Assert.True(indexed || !usesIndex, $"{name} uses JOB_COMPLETION_INDEX but is not an Indexed Job");

            var shards = new List<Shard>();
            for (var index = 0; index < (indexed ? completions : 1); index++)
            {
                var expanded = args.Select(a => a.Replace("$(JOB_COMPLETION_INDEX)", index.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)).ToArray();
                AssertParses($"{name} (index {index})", expanded);
                var shard = Array.IndexOf(expanded, "--shard");
                if (shard >= 0)
                {
                    Assert.True(Shard.TryParse(expanded[shard + 1], out var part, out var error), error);
                    shards.Add(part);
                }
            }

            if (indexed)
            {
                // Every index gets its own part of one whole of `completions` parts: none left out, none done twice.
                Assert.Equal(Enumerable.Range(0, completions).Select(i => new Shard(i, completions)), shards);
            }
        }
    }

    [Fact]
    public void Every_path_a_container_is_given_is_on_a_volume_and_what_it_writes_is_on_a_writable_one()
    {
        foreach (var (name, container, _, _) in Containers())
        {
            var mounts = DeploymentFiles.Sequence(container, "volumeMounts").Cast<YamlMappingNode>()
                .Select(m => (Path: DeploymentFiles.Text(m, "mountPath")!, ReadOnly: DeploymentFiles.Text(m, "readOnly") == "true"))
                .ToList();
            var args = DeploymentFiles.Sequence(container, "args").Cast<YamlScalarNode>().Select(a => a.Value!).ToList();
            var env = DeploymentFiles.Sequence(container, "env").Cast<YamlMappingNode>()
                .ToDictionary(v => DeploymentFiles.Text(v, "name")!, v => DeploymentFiles.Text(v, "value"), StringComparer.Ordinal);

            var read = args.Where(a => a.StartsWith('/')).Concat(env.Where(kv => kv.Key == "Tessera__Root").Select(kv => kv.Value!));
            foreach (var path in read)
            {
                Assert.True(mounts.Any(m => Under(path, m.Path)), $"{name} is given {path}, which no volume of it holds");
            }

            var written = new List<string> { "/tmp" };
            written.AddRange(FlagValues(args, "--out", "--report"));
            if (args.FirstOrDefault() == "serve")
            {
                written.Add(env.GetValueOrDefault("Tessera__CacheDirectory") ?? DeploymentFiles.DockerfileEnvironment()["Tessera__CacheDirectory"]);
                written.Add(env.GetValueOrDefault(KeysVariable) ?? DeploymentFiles.DockerfileEnvironment()[KeysVariable]);
            }

            foreach (var path in written)
            {
                Assert.True(mounts.Any(m => !m.ReadOnly && Under(path, m.Path)), $"{name} writes to {path} on a read-only root, but no writable volume holds it");
            }
        }
    }

    [Fact]
    public void Every_server_keeps_its_session_keys_on_a_volume_that_outlives_it_and_its_replicas_share()
    {
        // The image: the setting, on a VOLUME (not the container's own layer, lost when it is replaced).
        var image = DeploymentFiles.DockerfileEnvironment();
        Assert.True(image.TryGetValue(KeysVariable, out var imageKeys), $"deploy/Dockerfile sets no {KeysVariable}: session keys would go to ~/.aspnet inside the container");
        Assert.Contains(imageKeys, DeploymentFiles.ExecForm(DeploymentFiles.Dockerfile("VOLUME")));

        // Compose: a named volume of the file, mounted writable where the service keeps its keys.
        var service = ComposeService();
        var composeKeys = DeploymentFiles.Map(service, "environment").Children
            .Where(kv => ((YamlScalarNode)kv.Key).Value == KeysVariable).Select(kv => ((YamlScalarNode)kv.Value).Value).SingleOrDefault() ?? imageKeys;
        var named = DeploymentFiles.Map(DeploymentFiles.Yaml("compose.yaml").Single(), "volumes").Children.Keys.Cast<YamlScalarNode>().Select(k => k.Value!).ToHashSet(StringComparer.Ordinal);
        var mounts = DeploymentFiles.Sequence(service, "volumes").Cast<YamlScalarNode>().Select(v => v.Value!.Split(':')).ToList();
        Assert.True(
            mounts.Any(m => m.Length == 2 && m[1] == composeKeys && named.Contains(m[0])),
            $"deploy/compose.yaml keeps session keys in {composeKeys}, which no writable named volume holds");

        // Kubernetes: every server container's keys on a writable mount of a ReadWriteMany claim, which all replicas share.
        var claims = DeploymentFiles.KubernetesObjects().Where(o => DeploymentFiles.Text(o, "kind") == "PersistentVolumeClaim")
            .ToDictionary(o => DeploymentFiles.Text(DeploymentFiles.Map(o, "metadata"), "name")!, o => o, StringComparer.Ordinal);
        var servers = Containers().Where(c => DeploymentFiles.Sequence(c.Container, "args").Cast<YamlScalarNode>().FirstOrDefault()?.Value == "serve").ToList();
        Assert.NotEmpty(servers);
        foreach (var (name, container, pod, _) in servers)
        {
            var keys = DeploymentFiles.Sequence(container, "env").Cast<YamlMappingNode>()
                .Where(v => DeploymentFiles.Text(v, "name") == KeysVariable).Select(v => DeploymentFiles.Text(v, "value")).SingleOrDefault() ?? imageKeys;
            var mount = DeploymentFiles.Sequence(container, "volumeMounts").Cast<YamlMappingNode>()
                .SingleOrDefault(m => Under(keys, DeploymentFiles.Text(m, "mountPath")!) && DeploymentFiles.Text(m, "readOnly") != "true");
            Assert.True(mount is not null, $"{name} keeps session keys in {keys}, which no writable volume holds");
            var volume = DeploymentFiles.Sequence(pod, "volumes").Cast<YamlMappingNode>().Single(v => DeploymentFiles.Text(v, "name") == DeploymentFiles.Text(mount, "name"));
            var claim = DeploymentFiles.OptionalMap(volume, "persistentVolumeClaim") is { } pvc ? DeploymentFiles.Text(pvc, "claimName") : null;
            Assert.True(claim is not null && claims.ContainsKey(claim), $"{name} keeps session keys on volume {DeploymentFiles.Text(volume, "name")}, which is not a claim of deploy/k8s: each replica (and each restart) would have keys of its own");
            var modes = DeploymentFiles.Sequence(DeploymentFiles.Map(claims[claim], "spec"), "accessModes").Cast<YamlScalarNode>().Select(m => m.Value);
            Assert.True(modes.Contains("ReadWriteMany"), $"{name}'s session keys claim {claim} is not ReadWriteMany: replicas on other nodes cannot share it");
        }
    }

    [Fact]
    public async Task Every_health_check_asks_a_path_the_server_answers_with_200()
    {
        var paths = new HashSet<string>(StringComparer.Ordinal) { DeploymentFiles.HealthCheck().Path };
        foreach (var (_, container, _, _) in Containers())
        {
            foreach (var probe in new[] { "readinessProbe", "livenessProbe", "startupProbe" })
            {
                if (DeploymentFiles.OptionalMap(container, probe) is { } found)
                {
                    paths.Add(DeploymentFiles.Text(DeploymentFiles.Map(found, "httpGet"), "path")!);
                }
            }
        }

        var root = Directory.CreateTempSubdirectory("tessera-deploy-");
        try
        {
            await using var app = TesseraServer.Build(new TesseraServerOptions { Root = root.FullName }, ["http://127.0.0.1:0"]);
            await app.StartAsync(TestContext.Current.CancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var client = new HttpClient { BaseAddress = new Uri(address) };
            foreach (var path in paths)
            {
                using var response = await client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"The health check asks {path}, which the server answers with {(int)response.StatusCode}");
            }
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_ports_agree()
    {
        var exposed = int.Parse(DeploymentFiles.Dockerfile("EXPOSE"), CultureInfo.InvariantCulture);
        Assert.Equal(exposed, ServePort(DeploymentFiles.ExecForm(DeploymentFiles.Dockerfile("CMD"))));
        Assert.Equal(exposed, DeploymentFiles.HealthCheck().Port);

        var published = DeploymentFiles.Sequence(ComposeService(), "ports").Cast<YamlScalarNode>().Select(p => p.Value!).ToList();
        Assert.NotEmpty(published);
        Assert.All(published, p => Assert.EndsWith($":{exposed}", p, StringComparison.Ordinal));

        var servers = Containers().Where(c => DeploymentFiles.Sequence(c.Container, "args").Cast<YamlScalarNode>().FirstOrDefault()?.Value == "serve").ToList();
        Assert.NotEmpty(servers);
        var portNames = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (name, container, _, _) in servers)
        {
            var args = DeploymentFiles.Sequence(container, "args").Cast<YamlScalarNode>().Select(a => a.Value!).ToArray();
            foreach (var port in DeploymentFiles.Sequence(container, "ports").Cast<YamlMappingNode>())
            {
                var number = int.Parse(DeploymentFiles.Text(port, "containerPort")!, CultureInfo.InvariantCulture);
                Assert.True(number == ServePort(args), $"{name} exposes {number} but serves on {ServePort(args)}");
                portNames[DeploymentFiles.Text(port, "name") ?? number.ToString(CultureInfo.InvariantCulture)] = number;
            }

            foreach (var probe in new[] { "readinessProbe", "livenessProbe" })
            {
                var target = DeploymentFiles.Text(DeploymentFiles.Map(DeploymentFiles.Map(container, probe), "httpGet"), "port")!;
                Assert.True(portNames.ContainsKey(target), $"{name}'s {probe} asks port {target}, which the container does not name");
            }
        }

        foreach (var service in DeploymentFiles.KubernetesObjects().Where(o => DeploymentFiles.Text(o, "kind") == "Service"))
        {
            foreach (var port in DeploymentFiles.Sequence(DeploymentFiles.Map(service, "spec"), "ports").Cast<YamlMappingNode>())
            {
                var target = DeploymentFiles.Text(port, "targetPort")!;
                Assert.True(portNames.ContainsKey(target), $"The Service sends to port {target}, which no server container names");
            }
        }
    }

    [Fact]
    public void Every_pod_runs_as_the_images_user_on_a_read_only_root()
    {
        var uid = DeploymentFiles.ImageUserId();
        Assert.Equal($"{uid}:{uid}", DeploymentFiles.Dockerfile("USER").Replace("tessera", uid.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));

        foreach (var (name, container, pod, _) in Containers())
        {
            var security = DeploymentFiles.Map(pod, "securityContext");
            Assert.Equal("true", DeploymentFiles.Text(security, "runAsNonRoot"));
            Assert.Equal(uid.ToString(CultureInfo.InvariantCulture), DeploymentFiles.Text(security, "runAsUser"));
            var own = DeploymentFiles.Map(container, "securityContext");
            Assert.True(DeploymentFiles.Text(own, "readOnlyRootFilesystem") == "true", $"{name} has a writable root filesystem");
            Assert.True(DeploymentFiles.Text(own, "allowPrivilegeEscalation") == "false", $"{name} allows privilege escalation");
            Assert.True(DeploymentFiles.OptionalMap(container, "resources") is not null, $"{name} asks no resources");
        }
    }

    /// <summary>Binds the variables as <c>tessera serve</c> does (unknown keys are errors here) and validates them.</summary>
    private static void AssertSettingsValid(string where, IReadOnlyDictionary<string, string> environment)
    {
        var settings = environment.Where(kv => kv.Key.StartsWith("Tessera__", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key.Replace("__", ":", StringComparison.Ordinal), kv => (string?)kv.Value, StringComparer.OrdinalIgnoreCase);
        Assert.True(settings.Count > 0, $"{where} sets no Tessera__ variable");

        TesseraServerOptions? options = null;
        var bind = Record.Exception(() => options = new ConfigurationBuilder().AddInMemoryCollection(settings).Build()
            .GetSection("Tessera").Get<TesseraServerOptions>(binder => binder.ErrorOnUnknownConfiguration = true));
        Assert.True(bind is null, $"{where}: {bind?.Message}");
        Assert.NotNull(options);

        // The root is a volume of the container, not a folder of this machine; everything else must be valid as written.
        var problems = (options with { Root = Path.GetTempPath() }).Validate();
        Assert.True(problems.Count == 0, $"{where}: {string.Join("; ", problems)}");
    }

    private static void AssertParses(string where, string[] args)
    {
        var result = TesseraCommand.Create().Parse(args);
        Assert.True(result.Errors.Count == 0, $"{where}: `{Entrypoint} {string.Join(' ', args)}` does not parse: {string.Join("; ", result.Errors.Select(e => e.Message))}");
        Assert.NotEqual(TesseraCommand.Create().Name, result.CommandResult.Command.Name);
    }

    private static int ServePort(string[] args)
    {
        var result = TesseraCommand.Create().Parse(args);
        Assert.Equal("serve", result.CommandResult.Command.Name);
        var port = result.CommandResult.Command.Options.OfType<Option<int>>().Single(o => o.Name == "--port");
        return result.GetValue(port);
    }

    private static IEnumerable<string> FlagValues(IReadOnlyList<string> args, params string[] flags)
    {
        for (var i = 0; i < args.Count - 1; i++)
        {
            if (flags.Contains(args[i]))
            {
                yield return args[i + 1];
            }
        }
    }

    private static bool Under(string path, string folder) =>
        path == folder || path.StartsWith(folder.TrimEnd('/') + "/", StringComparison.Ordinal);

    private static YamlMappingNode ComposeService()
    {
        var services = DeploymentFiles.Map(DeploymentFiles.Yaml("compose.yaml").Single(), "services");
        return (YamlMappingNode)services.Children[new YamlScalarNode("tessera")];
    }

    /// <summary>Every container of every workload in deploy/k8s/, with its pod spec and (for jobs) its Job spec.</summary>
    private static List<(string Name, YamlMappingNode Container, YamlMappingNode Pod, YamlMappingNode? Job)> Containers()
    {
        var found = new List<(string, YamlMappingNode, YamlMappingNode, YamlMappingNode?)>();
        foreach (var workload in DeploymentFiles.KubernetesObjects().Where(o => DeploymentFiles.Text(o, "kind") is "Deployment" or "Job" or "CronJob"))
        {
            var (pod, job) = DeploymentFiles.PodSpec(workload);
            foreach (var container in DeploymentFiles.Sequence(pod, "containers").Cast<YamlMappingNode>())
            {
                var name = $"{DeploymentFiles.Text(workload, "kind")} {DeploymentFiles.Text(DeploymentFiles.Map(workload, "metadata"), "name")}/{DeploymentFiles.Text(container, "name")}";
                found.Add((name, container, pod, job));
            }
        }

        Assert.True(found.Count >= 3, $"Expected the server Deployment, the Job and the CronJob in deploy/k8s but found {found.Count} containers");
        return found;
    }
}
