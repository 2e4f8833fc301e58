using System.Text;
using Tessera.Server.Access;
using Tessera.Server.Hosting;

namespace Tessera.Server.Tests.Access;

/// <summary>The rules file: globs, first match wins, and a bad file refused with its line and the reason.</summary>
public sealed class AccessRulesFileTests
{
    private static AccessRules Parse(string json)
    {
        var (rules, problem) = AccessRules.Parse(Encoding.UTF8.GetBytes(json));
        Assert.True(problem is null, problem);
        return rules!;
    }

    [Theory]
    [InlineData("restricted/*", "restricted/a.jpg", true)]
    [InlineData("restricted/*", "restricted/sub/a.jpg", false)]
    [InlineData("restricted/**", "restricted/sub/a.jpg", true)]
    [InlineData("**/*.tif", "a.tif", true)]
    [InlineData("**/*.tif", "x/y/a.tif", true)]
    [InlineData("**/*.tif", "x/y/a.jpg", false)]
    [InlineData("a?.jpg", "ab.jpg", true)]
    [InlineData("a?.jpg", "a/.jpg", false)]
    [InlineData("m.(1).jpg", "m.(1).jpg", true)]
    [InlineData("m.(1).jpg", "mx(1)xjpg", false)]
    public void Globs_match_within_and_across_folders(string glob, string identifier, bool matches) =>
        Assert.Equal(matches, AccessRule.Glob(glob).IsMatch(identifier));

    [Fact]
    public void The_first_matching_rule_wins_and_anything_unmatched_is_public()
    {
        var rules = Parse("""{"rules": [{"match": "a/open.jpg", "access": "public"}, {"match": "a/*", "access": "hidden"}]}""");
        Assert.Equal(AccessKind.Public, rules.Find("a/open.jpg").Access);
        Assert.Equal(AccessKind.Hidden, rules.Find("a/other.jpg").Access);
        Assert.Equal(AccessKind.Public, rules.Find("b/x.jpg").Access);
        Assert.Equal(AccessKind.Hidden, rules.FindObject("a").Access);
    }

    [Theory]
    [InlineData("{\"rules\": [\n  {\"match\": \"a/*\", \"access\": \"login\"},\n  {\"match\": \"b/*\", \"access\": \"secret\"}\n]}", "line 3: rule 2: Expected public, login, degraded or hidden for access but received \"secret\"")]
    [InlineData("{\"rules\": [\n\n  {\"match\": \"b/*\", \"access\": \"degraded\"}\n]}", "line 3: rule 1: Expected a positive number of pixels for maxSize")]
    [InlineData("{\"rules\": [{\"match\": \"b/*\", \"access\": \"login\", \"maxsize\": 3}]}", "line 1: rule 1: Expected only the keys")]
    [InlineData("{\"rules\": [{\"match\": \"b/*\", \"access\": \"degraded\", \"maxSize\": 9, \"watermark\": {\"opacity\": 2, \"text\": \"x\"}}]}", "Expected 0..1 for watermark.opacity but received 2")]
    [InlineData("{\"rules\": [{\"match\": \"b/*\", \"access\": \"degraded\", \"maxSize\": 9, \"watermark\": {}}]}", "Expected either text or image")]
    [InlineData("{\"rules\": [\n{\"match\": \"b/*\",\n \"access\": }]}", "line 3: Expected JSON but it does not parse")]
    [InlineData("{\"rule\": []}", "line 1: Expected an object with a \"rules\" array")]
    public void A_bad_file_is_refused_with_the_line_and_the_reason(string json, string expected)
    {
        var (rules, problem) = AccessRules.Parse(Encoding.UTF8.GetBytes(json));
        Assert.Null(rules);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_file_stops_the_server_at_start()
    {
        var root = Directory.CreateTempSubdirectory("tessera-rules-").FullName;
        try
        {
            var file = Path.Combine(root, "rules.json");
            File.WriteAllText(file, "{\"rules\": [\n {\"match\": \"a/*\", \"access\": \"nobody\"}]}");
            var options = new TesseraServerOptions { Root = root, Access = file };
            Assert.Contains(options.Validate(), e => e.Contains("line 2", StringComparison.Ordinal) && e.Contains("rules.json", StringComparison.Ordinal));
            var thrown = Assert.Throws<InvalidOperationException>(() => TesseraServer.Build(options, ["http://127.0.0.1:0"]));
            Assert.Contains("line 2: rule 1", thrown.Message, StringComparison.Ordinal);
            Assert.Contains(new TesseraServerOptions { Root = root, Access = Path.Combine(root, "missing.json") }.Validate(), e => e.Contains("could not be read", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void The_sample_rules_file_loads()
    {
        var sample = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "deploy", "access.sample.json");
        var (rules, problem) = AccessRules.Load(Path.GetFullPath(sample));
        Assert.True(problem is null, problem);
        Assert.Contains(rules!.Rules, r => r.Access == AccessKind.Degraded && r.Watermark is not null);
    }
}
