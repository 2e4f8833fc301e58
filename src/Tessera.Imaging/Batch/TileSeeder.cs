using Tessera.Core.Tiles;
using System.Text;
using System.Text.Json;
using Tessera.Core.Iiif;
using Tessera.Core.Info;
using Tessera.Imaging.Pipeline;
using Tessera.Imaging.Sources;

namespace Tessera.Imaging.Batch;

/// <summary>
/// Writes a static IIIF level-0 tree: for each identifier, <c>OUT/{id}/info.json</c> and every tile and size a client
/// derives from it, each rendered by the shared pipeline from an ordinary IIIF request (so a tile equals the server's
/// answer for the same URL, and pyramid TIFF tiles take the server's fast paths). Resumable: files are written
/// atomically and existing ones skipped. <see cref="SeedOptions.Shard"/> selects a disjoint part of the tiles.
/// </summary>
public sealed class TileSeeder(SeedOptions options)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The options, validated on construction.</summary>
    public SeedOptions Options { get; } = InvalidOptionsException.ThrowIfAny(options, options.Validate(), nameof(options));

    /// <summary>Seeds every identifier; failures are counted and reported, never thrown.</summary>
    public async Task<BatchSummary> RunAsync(IReadOnlyList<string> identifiers, IBatchProgress? progress = null, CancellationToken cancellationToken = default)
    {
        var tally = new BatchTally(progress);
        var pipeline = BatchPipeline.Create(Options.Root, Options.Jobs, Options.Render, sourceLimits: Options.SourceLimits);
        Directory.CreateDirectory(Options.Output);
        using var staging = new StagingArea(Options.Output, Options.Shard.Tag);

        var work = new List<WorkItem>();
        foreach (var identifier in identifiers.Distinct(StringComparer.Ordinal))
        {
            work.AddRange(Plan(pipeline, identifier, tally));
        }

        tally.AddWork(work.Count);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Options.Jobs), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(work, parallel, async (item, ct) =>
        {
            var (outcome, message) = await RunOneAsync(pipeline, staging, item, ct).ConfigureAwait(false);
            tally.Report(outcome, item.Key, message);
        }).ConfigureAwait(false);

        return tally.Summary();
    }

    /// <summary>Every file of one identifier that this shard owns.</summary>
    private List<WorkItem> Plan(ImagePipeline pipeline, string identifier, BatchTally tally)
    {
        var infoKey = $"{identifier}/info.json";
        if (!pipeline.Catalog.Describe(identifier).TryGetValue(out var source, out var error))
        {
            // Reported once, by the shard that owns the image's info.json.
            if (Options.Shard.Owns(infoKey))
            {
                tally.AddWork(1);
                tally.Report(BatchOutcome.Failed, identifier, error.Message);
            }

            return [];
        }

        var info = source.Info;
        var tile = Options.TileSize;
        var factors = Options.ScaleFactors ?? SeedLayout.ScaleFactors(info.Width, info.Height, tile, tile);
        var allSizes = InfoDocument.Sizes(info, pipeline.Limits, InfoOptions.Default);
        IReadOnlyList<(int Width, int Height)> sizes = [.. allSizes.Where(s => Math.Max(s.Width, s.Height) <= Options.MaxSizeSide)];
        if (sizes.Count == 0)
        {
            sizes = [allSizes[0]];
        }

        var folder = Path.Combine(Options.Output, identifier.Replace('/', Path.DirectorySeparatorChar));
        var items = new List<WorkItem>();
        if (Options.Shard.Owns(infoKey))
        {
            var id = $"{Options.BaseUrl.TrimEnd('/')}/{Uri.EscapeDataString(identifier)}";
            var document = StaticInfo.Build(Options.Version, id, info, pipeline.Limits, tile, factors, sizes);
            items.Add(new WorkItem(identifier, infoKey, Path.Combine(folder, "info.json"), null, document.ToJsonString(Indented)));
        }

        foreach (var target in SeedLayout.All(Options.Version, info.Width, info.Height, tile, tile, factors, sizes))
        {
            var key = $"{identifier}/{target.Path}";
            if (Options.Shard.Owns(key))
            {
                items.Add(new WorkItem(identifier, key, Path.Combine(folder, target.Path.Replace('/', Path.DirectorySeparatorChar)), target, null));
            }
        }

        return items;
    }

    private async Task<(BatchOutcome, string?)> RunOneAsync(ImagePipeline pipeline, StagingArea staging, WorkItem item, CancellationToken cancellationToken)
    {
        try
        {
            if (item.Info is { } json)
            {
                var bytes = Encoding.UTF8.GetBytes(json);
                if (File.Exists(item.FinalPath) && File.ReadAllBytes(item.FinalPath).AsSpan().SequenceEqual(bytes))
                {
                    return (BatchOutcome.Skipped, null);
                }

                staging.Write(item.FinalPath, bytes);
                return (BatchOutcome.Done, null);
            }

            // A file at its final path was renamed there complete: nothing to redo.
            if (File.Exists(item.FinalPath))
            {
                return (BatchOutcome.Skipped, null);
            }

            var target = item.Target!;
            var parts = target.Path.Split('/');
            if (!ImageRequestParser.Parse(Options.Version, item.Identifier, parts[0], parts[1], parts[2], parts[3]).TryGetValue(out var request, out var error)
                || !pipeline.Plan(request).TryGetValue(out var planned, out error))
            {
                return (BatchOutcome.Failed, error.Message);
            }

            if (!(await pipeline.RenderAsync(planned.Plan, planned.Source, cancellationToken).ConfigureAwait(false)).TryGetValue(out var image, out error))
            {
                return (BatchOutcome.Failed, error.Message);
            }

            staging.Write(item.FinalPath, image.Data);
            return (BatchOutcome.Done, null);
        }
        catch (IOException e)
        {
            return (BatchOutcome.Failed, e.Message);
        }
        catch (UnauthorizedAccessException e)
        {
            return (BatchOutcome.Failed, e.Message);
        }
    }

    private sealed record WorkItem(string Identifier, string Key, string FinalPath, SeedTarget? Target, string? Info);
}
