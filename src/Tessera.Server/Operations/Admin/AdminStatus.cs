using System.Collections;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Tessera.Imaging;
using Tessera.Imaging.Pipeline;
using Tessera.Server.Hosting;
using Tessera.Server.Operations.Metrics;

namespace Tessera.Server.Operations.Admin;

/// <summary>
/// What <c>/admin/status</c> answers: version, the settings in force (secrets as <c>(set)</c>), caches per tier with
/// their hit rates, renders, held files, readiness, and the slowest and failing identifiers of the request window.
/// Read from the same counters the metrics observe: the page and a scrape agree.
/// </summary>
public static partial class AdminStatus
{
    /// <summary>Identifiers listed as slowest and as failing, at most.</summary>
    public const int ListLength = 20;

    private static readonly DateTimeOffset Started = DateTimeOffset.UtcNow;

    /// <summary>The status document.</summary>
    public static JsonObject Build(TesseraServerOptions options, ImagePipeline pipeline, RequestWindow window, Readiness readiness)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(readiness);
        var tiers = CacheTiers.Of(pipeline.Cache);
        var caches = new JsonArray();
        if (tiers.Memory is { } memory)
        {
            caches.Add(Cache("memory", memory.Count, memory.Bytes, memory.CapacityBytes, memory.CapacityBytes, memory.Hits, memory.Misses, memory.Evictions));
        }

        if (tiers.Disk is { } disk)
        {
            caches.Add(Cache("disk", disk.Count, disk.Bytes, disk.CapacityBytes, disk.ConfiguredCapacityBytes, disk.Hits, disk.Misses, disk.Evictions));
        }

        var threads = pipeline.RenderThreads;
        var levels = pipeline.Renderer.Levels;
        var report = readiness.Check();
        return new JsonObject
        {
            ["version"] = Version,
            ["started"] = Started.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["ready"] = report.Ready,
            ["readiness"] = report.ToString(),
            ["settings"] = Settings(options),
            ["caches"] = caches,
            ["renders"] = new JsonObject
            {
                ["threads"] = threads.Count,
                ["running"] = threads.Running,
                ["waitingCheap"] = threads.Queued(RenderLane.Cheap),
                ["waitingExpensive"] = threads.Queued(RenderLane.Expensive),
                ["finished"] = pipeline.RenderCount,
                ["stopped"] = pipeline.StoppedCount,
            },
            ["held"] = new JsonObject
            {
                ["openFiles"] = levels.OpenFiles.Count,
                ["levels"] = levels.OpenImages.Count,
                ["levelsBytes"] = levels.OpenImages.Bytes,
                ["jpeg2000Windows"] = levels.Jpeg2000Tiles.Count,
                ["vipsMemoryBytes"] = ImagingRuntime.VipsTrackedMemory,
                ["vipsOpenFiles"] = ImagingRuntime.VipsTrackedFiles,
            },
            ["window"] = new JsonObject
            {
                ["minutes"] = window.Span.TotalMinutes,
                ["capacity"] = window.Capacity,
                ["dropped"] = window.Dropped,
                ["slowest"] = Activities(window.Slowest(ListLength)),
                ["failing"] = Activities(window.Failing(ListLength)),
            },
        };
    }

    /// <summary>The server's version: the informational version of its assembly (with the commit, when built from git).</summary>
    public static string Version { get; } =
        typeof(AdminStatus).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? typeof(AdminStatus).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>
    /// Every setting of <paramref name="options"/> with its value; secrets (a name with Token, Secret, Password, AccessKey,
    /// KeyId, Credential or ConnectionString) as <c>(set)</c> or null, never their value.
    /// </summary>
    public static JsonObject Settings(TesseraServerOptions options)
    {
        var settings = new JsonObject();
        foreach (var property in typeof(TesseraServerOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.SetMethod is not null).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            var value = property.GetValue(options);
            settings[property.Name] = Secret().IsMatch(property.Name)
                ? (value is null || value is string { Length: 0 } ? null : "(set)")
                : value switch
                {
                    null => null,
                    string s => s,
                    bool b => b,
                    int i => i,
                    long l => l,
                    double d => d,
                    Enum e => e.ToString(),
                    IEnumerable list => new JsonArray([.. list.Cast<object?>().Select(o => (JsonNode?)JsonValue.Create(o?.ToString()))]),
                    _ => value.ToString(),
                };
        }

        return settings;
    }

    private static JsonObject Cache(string tier, long entries, long bytes, long capacity, long configured, long hits, long misses, long evictions) => new()
    {
        ["tier"] = tier,
        ["entries"] = entries,
        ["bytes"] = bytes,
        ["capacityBytes"] = capacity,
        ["configuredCapacityBytes"] = configured,
        ["hits"] = hits,
        ["misses"] = misses,
        ["hitRate"] = hits + misses == 0 ? null : Math.Round((double)hits / (hits + misses), 4),
        ["evictions"] = evictions,
    };

    private static JsonArray Activities(IReadOnlyList<IdentifierActivity> activities) => new([.. activities.Select(a => (JsonNode)new JsonObject
    {
        ["identifier"] = a.Identifier,
        ["requests"] = a.Requests,
        ["failures"] = a.Failures,
        ["maxMilliseconds"] = Math.Round(a.MaxMilliseconds, 1),
        ["meanMilliseconds"] = a.MeanMilliseconds,
        ["lastStatus"] = a.LastStatus,
        ["lastFailureStatus"] = a.LastFailureStatus,
    })]);

    [GeneratedRegex("Token|Secret|Password|AccessKey|KeyId|Credential|ConnectionString")]
    private static partial Regex Secret();
}
