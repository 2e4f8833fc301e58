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
/// atomically and existing ones skipped. <see cref="SeedOptions.Shard"/> selects a disjoint part of the tiles. The output
/// may be an S3 prefix (<c>s3://bucket/prefix</c>): each file one PUT, what exists learnt from one listing per identifier.
/// </summary>
public sealed class TileSeeder(SeedOptions options, BatchStorage? storage = null)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The options, validated on construction.</summary>
    public SeedOptions Options { get; } = InvalidOptionsException.ThrowIfAny(options, options.Validate(), nameof(options));

    /// <summary>Where S3 output is written (default: the AWS SDK's standard settings).</summary>
    public BatchStorage Storage { get; } = storage ?? BatchStorage.Default;

    /// <summary>Seeds every identifier; failures are counted and reported, never thrown.</summary>
    public async Task<BatchSummary> RunAsync(IReadOnlyList<string> identifiers, IBatchProgress? progress = null, CancellationToken cancellationToken = default)
    {
        var tally = new BatchTally(progress);
        var pipeline = BatchPipeline.Create(Options.Root, Options.Jobs, Options.Render, sourceLimits: Options.SourceLimits, remote: Options.Remote);
        pipeline.Redactions = Options.Redactions;
        using var sink = Storage.OpenOutput(Options.Output, Options.Shard);

        var work = new List<WorkItem>();
        foreach (var identifier in identifiers.Distinct(StringComparer.Ordinal))
        {
            var items = Plan(pipeline, identifier, tally);
            if (items.Count > 0)
            {
                // One listing of the identifier's tree (S3): a rerun learns what exists without a request per tile.
                await sink.ScanAsync(identifier + "/", cancellationToken).ConfigureAwait(false);
            }

            work.AddRange(items);
        }

        tally.AddWork(work.Count);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Options.Jobs), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(work, parallel, async (item, ct) =>
        {
            var (outcome, message) = await RunOneAsync(pipeline, sink, item, ct).ConfigureAwait(false);
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

        var items = new List<WorkItem>();
        if (Options.Shard.Owns(infoKey))
        {
            var id = $"{Options.BaseUrl.TrimEnd('/')}/{Uri.EscapeDataString(identifier)}";
            var document = StaticInfo.Build(Options.Version, id, info, pipeline.Limits, tile, factors, sizes);
            items.Add(new WorkItem(identifier, infoKey, null, document.ToJsonString(Indented)));
        }

        foreach (var target in SeedLayout.All(Options.Version, info.Width, info.Height, tile, tile, factors, sizes))
        {
            var key = $"{identifier}/{target.Path}";
            if (Options.Shard.Owns(key))
            {
                items.Add(new WorkItem(identifier, key, target, null));
            }
        }

        return items;
    }

    private async Task<(BatchOutcome, string?)> RunOneAsync(ImagePipeline pipeline, IOutputSink sink, WorkItem item, CancellationToken cancellationToken)
    {
        try
        {
            if (item.Info is { } json)
            {
                var bytes = Encoding.UTF8.GetBytes(json);
                if (sink.Holds(item.Key, bytes))
                {
                    return (BatchOutcome.Skipped, null);
                }

                await sink.WriteAsync(item.Key, bytes, "application/json", cancellationToken: cancellationToken).ConfigureAwait(false);
                return (BatchOutcome.Done, null);
            }

            // An output at its path was put there complete (a rename, an S3 PUT): nothing to redo.
            if (sink.Find(item.Key) is not null)
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

            await sink.WriteAsync(item.Key, image.Data, image.MediaType, image.Width, image.Height, cancellationToken).ConfigureAwait(false);
            return (BatchOutcome.Done, null);
        }
        catch (Exception e) when (e is Amazon.Runtime.AmazonServiceException or Amazon.Runtime.AmazonClientException)
        {
            return (BatchOutcome.Failed, $"Expected to write {sink.Describe(item.Key)} but the store failed: {e.Message}");
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

    // Key: the output's path relative to the output root, which also decides its shard.
    private sealed record WorkItem(string Identifier, string Key, SeedTarget? Target, string? Info);
}
