using System.Diagnostics;
using System.Net;

namespace Tessera.Server.Tests.Operations;

/// <summary>
/// <c>/metrics</c> of a real server after a known mix of requests: the counters move by exactly what was asked, the
/// scrape passes <c>promtool check metrics</c>, and the alert rules and the dashboard of deploy/monitoring name only
/// metrics the server exports.
/// </summary>
public sealed class MetricsTests
{
    private static readonly string[] StoredTiles =
    [
        "/iiif/3/pyramid.tif/0,0,256,256/256,/0/default.jpg",
        "/iiif/3/pyramid.tif/256,0,256,256/256,/0/default.jpg",
        "/iiif/3/pyramid.tif/512,0,256,256/256,/0/default.jpg",
        "/iiif/3/pyramid.tif/768,0,256,256/256,/0/default.jpg",
        "/iiif/3/pyramid.tif/0,256,256,256/256,/0/default.jpg",
    ];

    [Fact]
    public async Task A_known_request_mix_moves_the_counters_by_exactly_that_mix()
    {
        await using var server = await OperationsServer.StartAsync();
        var before = await server.ScrapeAsync();

        long imageBytes = 0;
        foreach (var tile in StoredTiles)
        {
            imageBytes += await GetAsync(server, tile, HttpStatusCode.OK, "stored-tile");
        }

        await GetAsync(server, "/iiif/3/photo.jpg/info.json", HttpStatusCode.OK, null);
        await GetAsync(server, "/iiif/3/missing.jpg/info.json", HttpStatusCode.NotFound, null);
        imageBytes += await GetAsync(server, "/iiif/3/photo.jpg/full/100,/0/default.jpg", HttpStatusCode.OK, "rendered");
        imageBytes += await GetAsync(server, "/iiif/3/photo.jpg/full/100,/0/default.jpg", HttpStatusCode.OK, "cache");

        var after = await server.ScrapeAsync();
        double Delta(string name, params (string, string)[] labels) => after.Sum(name, labels) - before.Sum(name, labels);

        Assert.Equal(5, Delta("tessera_requests_total", ("route", "image"), ("status", "200"), ("origin", "stored-tile")));
        Assert.Equal(1, Delta("tessera_requests_total", ("route", "image"), ("status", "200"), ("origin", "rendered")));
        Assert.Equal(1, Delta("tessera_requests_total", ("route", "image"), ("status", "200"), ("origin", "cache-memory")));
        Assert.Equal(1, Delta("tessera_requests_total", ("route", "info"), ("status", "200"), ("origin", "none")));
        Assert.Equal(1, Delta("tessera_requests_total", ("route", "info"), ("status", "404"), ("origin", "none")));
        Assert.Equal(9, Delta("tessera_requests_total"));

        Assert.Equal(5, Delta("tessera_request_duration_seconds_count", ("route", "image"), ("origin", "stored-tile")));
        Assert.Equal(5, Delta("tessera_request_duration_seconds_bucket", ("route", "image"), ("origin", "stored-tile"), ("le", "+Inf")));
        Assert.Equal(5, Delta("tessera_render_duration_seconds_count", ("path", "stored-tile")));
        Assert.Equal(1, Delta("tessera_render_duration_seconds_count", ("path", "libvips")));
        Assert.Equal(6, Delta("tessera_render_duration_seconds_count"));
        Assert.Equal(imageBytes, Delta("tessera_response_bytes_total", ("route", "image")));

        // The render looked in memory, then on disk; the repeat was answered from memory. Stored tiles skip the caches.
        Assert.Equal(1, Delta("tessera_cache_hits_total", ("tier", "memory")));
        Assert.Equal(0, Delta("tessera_cache_hits_total", ("tier", "disk")));
        Assert.Equal(1, Delta("tessera_cache_misses_total", ("tier", "memory")));
        Assert.Equal(1, Delta("tessera_cache_misses_total", ("tier", "disk")));
        Assert.Equal(1, Delta("tessera_renders_total"));
        Assert.Equal(1, Delta("tessera_cache_entries", ("tier", "memory")));
        Assert.True(after.Sum("tessera_cache_size_bytes", ("tier", "memory")) > 0);

        Assert.True(after.Sum("tessera_open_files") >= 1, "the pyramid's handle is held for its tiles");
        Assert.Equal(1, after.Sum("tessera_ready"));
        Assert.True(after.Has("tessera_renders_waiting", ("lane", "cheap")));
        Assert.True(after.Has("tessera_vips_memory_bytes"));
        Assert.True(after.Names.Any(n => n.StartsWith("dotnet_gc_", StringComparison.Ordinal)), "GC metrics");
        Assert.True(after.Names.Any(n => n.StartsWith("process_", StringComparison.Ordinal)), "process metrics");

        // Scrapes themselves are not counted.
        var again = await server.ScrapeAsync();
        Assert.Equal(after.Sum("tessera_requests_total"), again.Sum("tessera_requests_total"));
    }

    [Fact]
    public async Task With_a_metrics_port_metrics_are_there_only_and_that_port_serves_nothing_else()
    {
        await using var server = await OperationsServer.StartAsync();

        using var onMain = await server.Client.GetAsync("/metrics", TestContext.Current.CancellationToken);
        using var imageOnMetrics = await server.Metrics.GetAsync("/iiif/3/photo.jpg/info.json", TestContext.Current.CancellationToken);
        using var onMetrics = await server.Metrics.GetAsync("/metrics", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, onMain.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, imageOnMetrics.StatusCode);
        Assert.Equal(HttpStatusCode.OK, onMetrics.StatusCode);
        Assert.StartsWith("text/plain", onMetrics.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_scrape_passes_promtool_check_metrics()
    {
        await using var server = await OperationsServer.StartAsync();
        await GetAsync(server, StoredTiles[0], HttpStatusCode.OK, "stored-tile");
        await GetAsync(server, "/iiif/3/photo.jpg/full/100,/0/default.jpg", HttpStatusCode.OK, "rendered");
        var scrape = await server.ScrapeAsync();

        var (code, output) = await PromtoolAsync(scrape.Text, "check", "metrics");

        Assert.True(code == 0, $"promtool check metrics exited {code}:\n{output}");
    }

    [Fact]
    public async Task The_alert_rules_pass_promtool_check_rules()
    {
        var (code, output) = await PromtoolAsync(null, "check", "rules", Monitoring("tessera-alerts.yml"));

        Assert.True(code == 0, $"promtool check rules exited {code}:\n{output}");
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_metric_the_rules_and_the_dashboard_name_is_exported()
    {
        await using var server = await OperationsServer.StartAsync();
        await GetAsync(server, StoredTiles[0], HttpStatusCode.OK, "stored-tile");
        await GetAsync(server, "/iiif/3/photo.jpg/full/100,/0/default.jpg", HttpStatusCode.OK, "rendered");
        var exported = (await server.ScrapeAsync()).Names;

        var dashboard = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Monitoring("tessera-dashboard.json"), TestContext.Current.CancellationToken))!;
        var expressions = MonitoringNames.Expressions(dashboard).ToList();
        var rules = await File.ReadAllTextAsync(Monitoring("tessera-alerts.yml"), TestContext.Current.CancellationToken);
        expressions.AddRange(MonitoringNames.RuleExpressions(rules));

        Assert.True(expressions.Count >= 10, $"Expected the dashboard and rules to hold expressions but found {expressions.Count}");
        var missing = expressions.SelectMany(MonitoringNames.MetricsOf).Distinct().Where(n => !exported.Contains(n)).Order().ToList();
        Assert.True(missing.Count == 0, "Named but not exported: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task Every_dashboard_expression_is_valid_PromQL_by_promtool()
    {
        var dashboard = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Monitoring("tessera-dashboard.json"), TestContext.Current.CancellationToken))!;
        var expressions = MonitoringNames.Expressions(dashboard).ToList();
        var rules = Path.Combine(Path.GetTempPath(), $"tessera-dashboard-{Guid.NewGuid():N}.yml");

        // Each panel query as a recording rule (Grafana's variables given values), so promtool parses it.
        var text = new System.Text.StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (var i = 0; i < expressions.Count; i++)
        {
            var expr = expressions[i].Replace("$__rate_interval", "5m", StringComparison.Ordinal).Replace("$instance", ".*", StringComparison.Ordinal);
            text.Append($"      - record: tessera:dashboard_{i}\n        expr: '{expr.Replace("'", "''", StringComparison.Ordinal)}'\n");
        }

        await File.WriteAllTextAsync(rules, text.ToString(), TestContext.Current.CancellationToken);
        try
        {
            var (code, output) = await PromtoolAsync(null, "check", "rules", rules);

            Assert.True(code == 0, $"promtool check rules on the dashboard's queries exited {code}:\n{output}\n{text}");
            Assert.Contains($"SUCCESS: {expressions.Count} rules found", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(rules);
        }
    }

    private static string Monitoring(string file) => Tessera.Testing.Repository.PathOf("deploy", "monitoring", file);

    /// <summary>GETs a path, checks its status and origin, and returns its Content-Length.</summary>
    private static async Task<long> GetAsync(OperationsServer server, string path, HttpStatusCode status, string? origin)
    {
        using var response = await server.Client.GetAsync(path, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == status, $"{path}: {(int)response.StatusCode}");
        Assert.Equal(origin, response.Headers.TryGetValues("X-Tessera-Origin", out var values) ? values.Single() : null);
        return body.Length;
    }

    private static async Task<(int Code, string Output)> PromtoolAsync(string? input, params string[] arguments)
    {
        const string Promtool = "/usr/bin/promtool";
        Assert.True(File.Exists(Promtool), $"Expected Debian's promtool at {Promtool} (apt-get install prometheus; ./scripts/test installs it)");
        var start = new ProcessStartInfo(Promtool) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }
}
