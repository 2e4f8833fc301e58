using System.CommandLine;
using System.CommandLine.Help;
using System.Reflection;
using System.Text.Json;
using Tessera.Cli.Commands;
using Tessera.Server.Hosting;

namespace Tessera.Cli.Tests.Docs;

/// <summary>
/// Keeps docs/configuration.md true: every setting of <see cref="TesseraServerOptions"/> and every flag of every
/// <c>tessera</c> command is documented there, and nothing documented there has gone. The page's tables are the
/// contract: a row starts with the key or flag in backticks (<c>| `MaxWidth` |</c>, <c>| `--port`, `-p` |</c>).
/// </summary>
public sealed class ConfigurationDocTests
{
    private static readonly string RepositoryRoot = FindRepositoryRoot();

    private static readonly IReadOnlyList<Section> Sections = ReadSections(Path.Combine(RepositoryRoot, "docs", "configuration.md"));

    [Fact]
    public void Every_server_setting_is_documented_with_its_environment_variable()
    {
        var rows = SettingsRows();

        foreach (var key in SettableProperties())
        {
            Assert.True(rows.TryGetValue(key, out var row), $"docs/configuration.md lists no row for the setting {key} of TesseraServerOptions");
            Assert.Contains($"`Tessera__{key}", row, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_documented_setting_still_exists()
    {
        var properties = SettableProperties().ToHashSet(StringComparer.Ordinal);

        foreach (var key in SettingsRows().Keys)
        {
            Assert.True(properties.Contains(key), $"docs/configuration.md documents the setting {key}, which TesseraServerOptions no longer has");
        }
    }

    [Fact]
    public void Every_key_of_the_sample_settings_file_is_documented_and_every_setting_is_in_it()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot, "appsettings.sample.json")));
        var sampleKeys = sample.RootElement.GetProperty("Tessera").EnumerateObject()
            .Select(p => p.Name)
            .Where(name => !name.StartsWith("//", StringComparison.Ordinal))
            .ToList();
        var documented = SettingsRows();

        Assert.All(sampleKeys, key => Assert.True(documented.ContainsKey(key), $"appsettings.sample.json has the key {key}, which docs/configuration.md does not document"));
        Assert.All(SettableProperties(), key => Assert.True(sampleKeys.Contains(key), $"appsettings.sample.json lacks the setting {key}"));
    }

    [Fact]
    public void Every_command_has_a_section()
    {
        var commands = Commands().Select(c => c.Path).Order().ToList();
        var documented = Sections.Where(s => s.Command is not null).Select(s => s.Command!).Order().ToList();

        Assert.Equal(commands, documented);
    }

    [Fact]
    public void Every_flag_and_argument_of_every_command_is_documented()
    {
        foreach (var (path, command) in Commands())
        {
            var documented = CommandSection(path).Rows.Select(r => r.Names).ToList();
            foreach (var option in ParsedOptions(command))
            {
                var names = option.Aliases.Prepend(option.Name).ToList();
                Assert.True(
                    documented.Any(row => names.All(row.Contains)),
                    $"docs/configuration.md has no row naming {string.Join(", ", names)} under `tessera {path}`");
            }

            foreach (var argument in command.Arguments)
            {
                Assert.True(documented.Any(row => row.Contains(argument.Name)), $"docs/configuration.md has no row for the argument {argument.Name} of `tessera {path}`");
            }
        }
    }

    [Fact]
    public void Every_documented_flag_still_exists()
    {
        foreach (var (path, command) in Commands())
        {
            var known = ParsedOptions(command).SelectMany(o => o.Aliases.Prepend(o.Name))
                .Concat(command.Arguments.Select(a => a.Name))
                .ToHashSet(StringComparer.Ordinal);
            foreach (var name in CommandSection(path).Rows.SelectMany(r => r.Names))
            {
                Assert.True(known.Contains(name), $"docs/configuration.md documents {name} under `tessera {path}`, which the command no longer has");
            }
        }
    }

    [Fact]
    public void The_root_command_has_no_options_of_its_own_to_document()
    {
        Assert.Empty(ParsedOptions(TesseraCommand.Create()));
    }

    /// <summary>Public properties with a public setter (<c>init</c> counts): what configuration binding can set.</summary>
    private static IEnumerable<string> SettableProperties() =>
        typeof(TesseraServerOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true })
            .Select(p => p.Name);

    /// <summary>Every command under <c>tessera</c> with its path (<c>serve</c>, <c>user add</c>), subcommands included.</summary>
    private static List<(string Path, Command Command)> Commands()
    {
        var commands = new List<(string, Command)>();
        void Walk(Command command, string prefix)
        {
            foreach (var sub in command.Subcommands)
            {
                var path = prefix + sub.Name;
                commands.Add((path, sub));
                Walk(sub, path + " ");
            }
        }

        Walk(TesseraCommand.Create(), string.Empty);
        return commands;
    }

    /// <summary>Options a user types; help and version are System.CommandLine's own.</summary>
    private static IEnumerable<Option> ParsedOptions(Command command) =>
        command.Options.Where(o => o is not (HelpOption or VersionOption));

    private static Dictionary<string, string> SettingsRows()
    {
        var section = Sections.SingleOrDefault(s => s.Heading.StartsWith("Server settings", StringComparison.Ordinal));
        Assert.True(section is not null, "docs/configuration.md has no \"## Server settings\" section");
        return section.Rows.ToDictionary(r => r.Names[0], r => r.Line, StringComparer.Ordinal);
    }

    private static Section CommandSection(string name)
    {
        var section = Sections.SingleOrDefault(s => s.Command == name);
        Assert.True(section is not null, $"docs/configuration.md has no \"## `tessera {name}`\" section");
        return section;
    }

    /// <summary>The page's <c>## </c> and <c>### </c> sections (a subcommand's is <c>### `tessera user add`</c>), each with its table rows whose first cell names keys or flags in backticks.</summary>
    private static List<Section> ReadSections(string path)
    {
        var sections = new List<Section>();
        Section? current = null;
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal) || line.StartsWith("### ", StringComparison.Ordinal))
            {
                current = new Section(line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..].Trim());
                sections.Add(current);
            }
            else if (current is not null && line.StartsWith("| `", StringComparison.Ordinal))
            {
                var firstCell = line.Split('|')[1];
                var names = firstCell.Split('`').Where((_, i) => i % 2 == 1).ToList();
                current.Rows.Add(new Row(names, line));
            }
        }

        return sections;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Tessera.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("The repository (Tessera.slnx) was not found above " + AppContext.BaseDirectory);
    }

    private sealed record Row(List<string> Names, string Line);

    private sealed class Section(string heading)
    {
        public string Heading { get; } = heading;

        /// <summary>The command a <c>## `tessera name`</c> section documents, else null.</summary>
        public string? Command { get; } = heading.StartsWith("`tessera ", StringComparison.Ordinal) && heading.EndsWith('`') ? heading[9..^1] : null;

        public List<Row> Rows { get; } = [];
    }
}
