using System.Text.Json.Nodes;
using Tessera.Testing.Presentation;
using Tessera.Vips;

namespace Tessera.Cli.Tests.Presentation;

public sealed class ManifestCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("tessera-manifest-root-").FullName;
    private readonly string _out = Directory.CreateTempSubdirectory("tessera-manifest-out-").FullName;

    public ManifestCommandTests()
    {
        VipsRuntime.Initialize();
        Directory.CreateDirectory(Path.Combine(_root, "atlas"));
        foreach (var (name, width, height) in new[] { ("atlas/page-10.png", 30, 40), ("atlas/page-2.png", 20, 10), ("atlas/page-1.png", 10, 20), ("lone.png", 64, 48) })
        {
            using var image = VipsOperation.Image("black", ("width", width), ("height", height), ("bands", 3));
            image.SaveToFile("pngsave", Path.Combine(_root, name));
        }
    }

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        Directory.Delete(_out, recursive: true);
    }

    private JsonObject Read(string relative) => JsonNode.Parse(File.ReadAllText(Path.Combine(_out, relative)))!.AsObject();

    private static string Label(JsonNode node) => node["label"]!["none"]![0]!.GetValue<string>();

    [Fact]
    public async Task It_writes_a_collection_and_a_manifest_per_object_with_canvases_in_natural_order()
    {
        var (exit, output, error) = await CliRunner.RunAsync("manifest", "--root", _root, "--out", _out, "--base-url", "https://images.example.org/");

        Assert.True(exit == 0, error);
        Assert.Contains("Wrote 2 manifests", output, StringComparison.Ordinal);
        var collection = Read("collection.json");
        Assert.Equal(["https://images.example.org/iiif/presentation/atlas/manifest.json", "https://images.example.org/iiif/presentation/lone.png/manifest.json"],
            collection["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));

        var atlas = Read("atlas/manifest.json");
        var canvases = atlas["items"]!.AsArray();
        Assert.Equal(["page-1", "page-2", "page-10"], canvases.Select(c => Label(c!)));
        Assert.Equal([(10, 20), (20, 10), (30, 40)], canvases.Select(c => (c!["width"]!.GetValue<int>(), c["height"]!.GetValue<int>())));
        var service = canvases[1]!["items"]![0]!["items"]![0]!["body"]!["service"]!.AsArray();
        Assert.Equal("https://images.example.org/iiif/3/atlas%2Fpage-2.png", Assert.Single(service)!["id"]!.GetValue<string>());

        var lone = Read("lone.png/manifest.json");
        Assert.Single(lone["items"]!.AsArray());
    }

    [Fact]
    public async Task With_access_rules_hidden_images_are_left_out_and_protected_ones_get_their_auth_services()
    {
        var rules = Path.Combine(_out, "..", Path.GetFileName(_out) + "-rules.json");
        File.WriteAllText(rules, """{"rules": [{"match": "atlas/page-10.png", "access": "hidden"}, {"match": "atlas/*", "access": "login"}, {"match": "lone.png", "access": "hidden"}]}""");
        try
        {
            var (exit, output, error) = await CliRunner.RunAsync("manifest", "--root", _root, "--out", _out, "--base-url", "https://images.example.org", "--access", rules);
            Assert.True(exit == 0, error);
            Assert.Contains("Wrote 1 manifest", output, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(_out, "lone.png", "manifest.json")));
            var atlas = Read("atlas/manifest.json");
            Assert.DoesNotContain("page-10", atlas.ToJsonString(), StringComparison.Ordinal);
            var canvases = atlas["items"]!.AsArray();
            Assert.Equal(2, canvases.Count);
            var probe = canvases[0]!["items"]![0]!["items"]![0]!["body"]!["service"]![0]!["service"]![0]!;
            Assert.Equal("AuthProbeService2", probe["type"]!.GetValue<string>());
            Assert.Equal("https://images.example.org/auth/v2/probe/atlas/page-1.png", probe["id"]!.GetValue<string>());

            File.WriteAllText(rules, "{\"rules\": [\n{\"match\": \"a\", \"access\": \"nobody\"}]}");
            var (badExit, _, badError) = await CliRunner.RunAsync("manifest", "--root", _root, "--out", _out, "--base-url", "https://images.example.org", "--access", rules);
            Assert.Equal(2, badExit);
            Assert.Contains("line 2", badError, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(rules);
        }
    }

    [Fact]
    public async Task A_careless_layout_is_listed_once_within_the_batch_bounds_and_what_was_left_out_goes_to_stderr()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "a"), ".");
        File.CreateSymbolicLink(Path.Combine(_root, "b"), ".");
        File.CreateSymbolicLink(Path.Combine(_root, "atlas", "loop1"), "loop2");
        File.CreateSymbolicLink(Path.Combine(_root, "atlas", "loop2"), "loop1");
        var deep = Path.Combine([_root, .. Enumerable.Range(0, 34).Select(i => $"d{i}")]);
        Directory.CreateDirectory(deep);
        File.Copy(Path.Combine(_root, "lone.png"), Path.Combine(deep, "too-deep.png"));

        var run = CliRunner.RunAsync("manifest", "--root", _root, "--out", _out, "--base-url", "https://images.example.org/");
        var (exit, output, error) = await run.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.True(exit == 0, error);
        Assert.Contains("Wrote 2 manifests", output, StringComparison.Ordinal);
        Assert.Contains("Not listed: a: a link to a folder already listed", error, StringComparison.Ordinal);
        Assert.Contains("Not listed: atlas/loop1: a loop of symbolic links", error, StringComparison.Ordinal);
        Assert.Contains("Listing truncated: folders deeper than 32 levels were not listed (ListingMaxDepth)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_csv_adds_descriptive_metadata_and_image_service2_is_added_when_asked()
    {
        var csv = Path.Combine(_out, "meta.csv");
        await File.WriteAllTextAsync(csv, "identifier,label,summary,Creator,Date,rights,requiredStatement,navDate\n" +
            "atlas,\"Atlas, 1850\",A bound atlas,\"Smith, \"\"J.\"\"\",c. 1850,https://creativecommons.org/publicdomain/zero/1.0/,Courtesy of the archive,1850-03\n");

        var (exit, _, error) = await CliRunner.RunAsync("manifest", "--root", _root, "--out", Path.Combine(_out, "docs"), "--base-url", "http://127.0.0.1:8182", "--csv", csv, "--image-service2");

        Assert.True(exit == 0, error);
        var atlas = Read("docs/atlas/manifest.json");
        Assert.Equal("Atlas, 1850", Label(atlas));
        Assert.Equal("A bound atlas", atlas["summary"]!["none"]![0]!.GetValue<string>());
        Assert.Equal(["Creator", "Date"], atlas["metadata"]!.AsArray().Select(m => Label(m!)));
        Assert.Equal("Smith, \"J.\"", atlas["metadata"]![0]!["value"]!["none"]![0]!.GetValue<string>());
        Assert.Equal("http://creativecommons.org/publicdomain/zero/1.0/", atlas["rights"]!.GetValue<string>());
        Assert.Equal("Courtesy of the archive", atlas["requiredStatement"]!["value"]!["none"]![0]!.GetValue<string>());
        Assert.Equal("1850-03-01T00:00:00Z", atlas["navDate"]!.GetValue<string>());
        var services = atlas["items"]![0]!["items"]![0]!["items"]![0]!["body"]!["service"]!.AsArray();
        Assert.Equal("http://127.0.0.1:8182/iiif/2/atlas%2Fpage-1.png", services[1]!["@id"]!.GetValue<string>());
        Assert.Equal("Atlas, 1850", Label(Read("docs/collection.json")["items"]![0]!));
    }

    [Fact]
    public async Task Every_written_document_validates_against_the_presentation_3_schema()
    {
        var csv = Path.Combine(_out, "meta.csv");
        await File.WriteAllTextAsync(csv, "identifier,label,summary,Creator,rights,requiredStatement,navDate\nlone.png,Lone,One image,Someone,http://rightsstatements.org/vocab/InC/1.0/,Credit,2001-02-03T04:05:06+01:00\n");
        var docs = Path.Combine(_out, "docs");
        var (exit, _, error) = await CliRunner.RunAsync("manifest", "--root", _root, "--out", docs, "--base-url", "https://images.example.org", "--csv", csv, "--image-service2");
        Assert.True(exit == 0, error);

        var files = Directory.GetFiles(docs, "*.json", SearchOption.AllDirectories).Select(f => (f, f)).ToList();
        Assert.Equal(3, files.Count);
        PresentationValidator.AssertAllValid(await PresentationValidator.ValidateFilesAsync(files));
    }

    [Fact]
    public async Task Bad_arguments_and_bad_csv_rows_are_all_reported_with_exit_code_2()
    {
        var csv = Path.Combine(_out, "bad.csv");
        await File.WriteAllTextAsync(csv, "identifier,rights,navDate\natlas,https://example.org/my-licence,yesterday\n,,\"unterminated\n");

        var (exit, _, error) = await CliRunner.RunAsync("manifest", "--root", Path.Combine(_root, "missing"), "--out", _out, "--base-url", "ftp://x", "--csv", csv);

        Assert.Equal(2, exit);
        Assert.Contains("--root", error, StringComparison.Ordinal);
        Assert.Contains("--base-url", error, StringComparison.Ordinal);
        Assert.Contains("rights", error, StringComparison.Ordinal);
        Assert.Contains("navDate", error, StringComparison.Ordinal);
        Assert.Contains("closing double quote", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_out, "collection.json")));
    }
}
