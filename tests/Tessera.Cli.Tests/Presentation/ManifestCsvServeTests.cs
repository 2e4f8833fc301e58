using System.Text.Json.Nodes;
using Tessera.Vips;

namespace Tessera.Cli.Tests.Presentation;

/// <summary>
/// <c>tessera serve --manifest-csv</c>: the on-the-fly Manifests and Collection say what <c>tessera manifest --csv</c>
/// writes for the same CSV, follow the file's edits, keep the rows read before when an edit breaks it, and a bad file
/// stops the start with its row.
/// </summary>
public sealed class ManifestCsvServeTests : IDisposable
{
    private const string FirstCsv = """
        identifier,label,summary,rights,requiredStatement,navDate,Creator,Date
        atlas,"The Atlas, bound",Maps of the known world,https://creativecommons.org/licenses/by/4.0/,Courtesy of the Map Library,1850,Mercator,1595
        lone.png,A lone photograph,,http://rightsstatements.org/vocab/InC/1.0/,,,Anonymous,
        """;

    private static readonly string[] Described = ["label", "summary", "metadata", "rights", "requiredStatement", "navDate"];

    private readonly string _root = Directory.CreateTempSubdirectory("tessera-csv-root-").FullName;
    private readonly string _work = Directory.CreateTempSubdirectory("tessera-csv-work-").FullName;

    public ManifestCsvServeTests()
    {
        VipsRuntime.Initialize();
        Directory.CreateDirectory(Path.Combine(_root, "atlas"));
        foreach (var (name, width, height) in new[] { ("atlas/page-1.png", 40, 30), ("atlas/page-2.png", 30, 40), ("lone.png", 64, 48) })
        {
            using var image = VipsOperation.Image("black", ("width", width), ("height", height), ("bands", 3));
            image.SaveToFile("pngsave", Path.Combine(_root, name));
        }
    }

    private string CsvPath => Path.Combine(_work, "objects.csv");

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task Served_manifests_say_what_generated_ones_say_and_follow_the_files_edits()
    {
        File.WriteAllText(CsvPath, FirstCsv);
        var port = CliRunner.FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        var generated = Path.Combine(_work, "out");
        var (exit, _, error) = await CliRunner.RunAsync("manifest", "--root", _root, "--out", generated, "--base-url", baseUrl, "--csv", CsvPath);
        Assert.True(exit == 0, error);

        using var child = CliRunner.Start("serve", "--root", _root, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--cache", "none", "--manifest-csv", CsvPath);
        try
        {
            await CliRunner.WaitUntilReadyAsync(child, port);
            using var client = new HttpClient { BaseAddress = new Uri(baseUrl) };

            foreach (var id in new[] { "atlas", "lone.png" })
            {
                var file = JsonNode.Parse(File.ReadAllText(Path.Combine(generated, id, "manifest.json")))!.AsObject();
                var served = await ManifestAsync(client, id);
                Assert.Equal(Description(file), Description(served));
            }

            var atlas = await ManifestAsync(client, "atlas");
            Assert.Equal("The Atlas, bound", atlas["label"]!["none"]![0]!.GetValue<string>());
            Assert.Equal("http://creativecommons.org/licenses/by/4.0/", atlas["rights"]!.GetValue<string>());
            Assert.Equal(["Creator", "Date"], atlas["metadata"]!.AsArray().Select(m => m!["label"]!["none"]![0]!.GetValue<string>()));
            var collection = JsonNode.Parse(await client.GetStringAsync("/iiif/presentation/collection.json", TestContext.Current.CancellationToken))!;
            var generatedCollection = JsonNode.Parse(File.ReadAllText(Path.Combine(generated, "collection.json")))!;
            Assert.Equal(Labels(generatedCollection), Labels(collection));

            // An edit shows without a restart (the file is looked at once a second at most).
            File.WriteAllText(CsvPath, "identifier,label,Creator,Place\natlas,\"The Atlas, rebound\",Mercator,Duisburg\n");
            var edited = await WaitForLabelAsync(client, "atlas", "The Atlas, rebound");
            Assert.Equal(["Creator", "Place"], edited["metadata"]!.AsArray().Select(m => m!["label"]!["none"]![0]!.GetValue<string>()));
            Assert.Null(edited["rights"]);
            Assert.Equal("lone", (await ManifestAsync(client, "lone.png"))["label"]!["none"]![0]!.GetValue<string>());

            // A broken edit keeps the rows read before, and says why in the log.
            File.WriteAllText(CsvPath, "identifier,label\natlas,Broken\natlas,Twice\n");
            await Task.Delay(TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken);
            Assert.Equal("The Atlas, rebound", (await ManifestAsync(client, "atlas"))["label"]!["none"]![0]!.GetValue<string>());
            Assert.Equal("The Atlas, rebound", (await ManifestAsync(client, "atlas"))["label"]!["none"]![0]!.GetValue<string>());
        }
        finally
        {
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        var log = await child.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken) + await child.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        Assert.Contains("objects.csv: Row 3: identifier \"atlas\" already appears in an earlier row", log, StringComparison.Ordinal);
        Assert.Contains("the rows read before stay", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_csv_stops_the_start_with_its_row()
    {
        File.WriteAllText(CsvPath, "identifier,label,rights\natlas,The Atlas,\nlone.png,Lone,not-a-licence\n");
        var port = CliRunner.FreePort();

        using var child = CliRunner.Start("serve", "--root", _root, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--manifest-csv", CsvPath);
        var error = await child.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await child.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(2, child.ExitCode);
        Assert.Contains("objects.csv: Row 3: expected a http://creativecommons.org/licenses/", error, StringComparison.Ordinal);
    }

    private static async Task<JsonObject> ManifestAsync(HttpClient client, string id) =>
        JsonNode.Parse(await client.GetStringAsync($"/iiif/presentation/{id}/manifest.json", TestContext.Current.CancellationToken))!.AsObject();

    private static async Task<JsonObject> WaitForLabelAsync(HttpClient client, string id, string label)
    {
        for (var attempt = 0; ; attempt++)
        {
            var manifest = await ManifestAsync(client, id);
            if (manifest["label"]!["none"]![0]!.GetValue<string>() == label || attempt == 100)
            {
                Assert.Equal(label, manifest["label"]!["none"]![0]!.GetValue<string>());
                return manifest;
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>The descriptive properties of a Manifest, as JSON text each (absent ones as null).</summary>
    private static List<string?> Description(JsonObject manifest) => [.. Described.Select(p => manifest[p]?.ToJsonString())];

    private static List<string> Labels(JsonNode collection) => [.. collection["items"]!.AsArray().Select(i => i!["label"]!.ToJsonString())];
}
