using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Tessera.Core.Planning;
using Tessera.Imaging.Pipeline;
using Tessera.Imaging.Processing;
using Tessera.Imaging.Sources;
using Tessera.Vips;

namespace Tessera.Imaging.Batch;

/// <summary>
/// go-iiif's iiif-process on Tessera's pipeline: every instruction for every identifier, in parallel, each written
/// atomically under the output folder, plus each image's dominant colours. The report has iiif-process's shape: keyed
/// by identifier, each with <c>dimensions</c> (label → [w, h]), <c>uris</c> (label → path) and <c>palette</c>.
/// </summary>
public sealed class DerivativeProcessor(ProcessOptions options, BatchStorage? storage = null)
{
    // Derivatives are not tiles a server must match: allow the big ones (an original "o" of a gigapixel master).
    private static readonly ServerLimits Unbounded = new(65_000, 65_000, 4_000_000_000);

    /// <summary>The options, validated on construction.</summary>
    public ProcessOptions Options { get; } = InvalidOptionsException.ThrowIfAny(options, options.Validate(), nameof(options));

    /// <summary>Where remote masters and S3 output are reached (default: the AWS SDK's standard settings).</summary>
    public BatchStorage Storage { get; } = storage ?? BatchStorage.Default;

    /// <summary>
    /// Every instruction for every identifier this shard owns, and the report. With a remote root (<c>s3://</c>, http(s))
    /// each master is downloaded to a temporary file when its turn comes (one per job at once), processed, and deleted.
    /// </summary>
    public async Task<(BatchSummary Summary, JsonObject Report)> RunAsync(IReadOnlyList<string> identifiers, IBatchProgress? progress = null, CancellationToken cancellationToken = default)
    {
        var tally = new BatchTally(progress);
        var remote = BatchStorage.IsRemote(Options.Root);
        var localRoot = remote ? Directory.CreateTempSubdirectory("tessera-masters-").FullName : Options.Root;
        try
        {
            var pipeline = BatchPipeline.Create(localRoot, Options.Jobs, Options.Render, Unbounded, Options.SourceLimits);
            var renderer = new DerivativeRenderer(pipeline);
            using var sink = Storage.OpenOutput(Options.Output, Options.Shard);
            var reports = new ConcurrentDictionary<string, ImageReport>(StringComparer.Ordinal);
            var owned = identifiers.Distinct(StringComparer.Ordinal).Where(Options.Shard.Owns).ToList();
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Options.Jobs), CancellationToken = cancellationToken };
            if (remote)
            {
                await Parallel.ForEachAsync(owned, parallel, async (identifier, ct) =>
                {
                    var local = Path.Combine(localRoot, identifier.Replace('/', Path.DirectorySeparatorChar));
                    try
                    {
                        await Storage.DownloadAsync(new RemoteMaster(RemoteLocation(identifier), identifier, null), local, ct).ConfigureAwait(false);
                        if (Describe(pipeline, identifier, tally, reports) is { } source)
                        {
                            foreach (var label in Options.Instructions.Keys.Append(null))
                            {
                                await RunItemAsync(pipeline, renderer, sink, reports, source, label, tally, ct).ConfigureAwait(false);
                            }

                            // Its facts were read from a file about to go: forgotten, so the pipeline holds nothing of it.
                            pipeline.Purge(identifier);
                        }
                    }
                    catch (IOException e)
                    {
                        tally.AddWork(1);
                        tally.Report(BatchOutcome.Failed, identifier, e.Message);
                    }
                    finally
                    {
                        File.Delete(local);
                    }
                }).ConfigureAwait(false);
            }
            else
            {
                var work = new List<(SourceDescription Source, string? Label)>();
                foreach (var identifier in owned)
                {
                    if (Describe(pipeline, identifier, tally, reports) is { } source)
                    {
                        work.AddRange(Options.Instructions.Keys.Append(null).Select(label => (source, label)));
                    }
                }

                await Parallel.ForEachAsync(work, parallel, (item, ct) => new ValueTask(RunItemAsync(pipeline, renderer, sink, reports, item.Source, item.Label, tally, ct))).ConfigureAwait(false);
            }

            var json = new JsonObject();
            foreach (var report in reports.Values.OrderBy(r => r.Identifier, NaturalStringComparer.Instance))
            {
                json[report.Identifier] = report.ToJson(Options.Instructions.Keys);
            }

            return (tally.Summary(), json);
        }
        finally
        {
            if (remote)
            {
                Directory.Delete(localRoot, recursive: true);
            }
        }
    }

    /// <summary>The address of an identifier's master under a remote root.</summary>
    private string RemoteLocation(string identifier) =>
        OutputPaths.IsS3(Options.Root)
            ? $"s3://{Storage.Root(Options.Root).Bucket}/{Storage.Root(Options.Root).Key(identifier)}"
            : $"{Options.Root.TrimEnd('/')}/{string.Join('/', identifier.Split('/').Select(Uri.EscapeDataString))}";

    /// <summary>The source's facts, with its report started and its work counted; null (reported) when it cannot be read.</summary>
    private SourceDescription? Describe(ImagePipeline pipeline, string identifier, BatchTally tally, ConcurrentDictionary<string, ImageReport> reports)
    {
        if (!pipeline.Catalog.Describe(identifier).TryGetValue(out var source, out var error))
        {
            tally.AddWork(1);
            tally.Report(BatchOutcome.Failed, identifier, error.Message);
            return null;
        }

        reports[identifier] = new ImageReport(identifier);
        tally.AddWork(Options.Instructions.Count + 1); // each derivative and the palette
        return source;
    }

    private async Task RunItemAsync(ImagePipeline pipeline, DerivativeRenderer renderer, IOutputSink sink, ConcurrentDictionary<string, ImageReport> reports, SourceDescription source, string? label, BatchTally tally, CancellationToken ct)
    {
        var report = reports[source.Source.Identifier];
        var name = $"{report.Identifier} {label ?? "palette"}";
        try
        {
            var (outcome, message) = label is null
                ? await PaletteAsync(pipeline, source, report, ct).ConfigureAwait(false)
                : await DerivativeAsync(renderer, sink, source, label, report, ct).ConfigureAwait(false);
            tally.Report(outcome, name, message);
        }
        catch (Exception e) when (e is VipsException or IOException or UnauthorizedAccessException or FormatException or Amazon.Runtime.AmazonServiceException or Amazon.Runtime.AmazonClientException)
        {
            tally.Report(BatchOutcome.Failed, name, e.Message);
        }
    }

    /// <summary>Where a label's derivative of an identifier goes, relative to the output folder.</summary>
    public string RelativePath(string identifier, string label, Instruction instruction, SourceDescription source) =>
        Options.UriTemplate
            .Replace("{id}", identifier, StringComparison.Ordinal)
            .Replace("{label}", label, StringComparison.Ordinal)
            .Replace("{region}", instruction.Region, StringComparison.Ordinal)
            .Replace("{size}", instruction.Size, StringComparison.Ordinal)
            .Replace("{rotation}", instruction.Rotation, StringComparison.Ordinal)
            .Replace("{quality}", instruction.Quality, StringComparison.Ordinal)
            .Replace("{format}", DerivativeRenderer.FormatFor(instruction, source), StringComparison.Ordinal);

    private async Task<(BatchOutcome, string?)> DerivativeAsync(DerivativeRenderer renderer, IOutputSink sink, SourceDescription source, string label, ImageReport report, CancellationToken ct)
    {
        var instruction = Options.Instructions[label];
        var relative = RelativePath(source.Source.Identifier, label, instruction, source);
        if (OutputPaths.Problem(relative) is not null)
        {
            return (BatchOutcome.Failed, $"Expected a path inside the output folder for \"{label}\" but the template gave \"{relative}\"");
        }

        if (!Options.Force && sink.Find(relative) is not null && await sink.DimensionsAsync(relative, ct).ConfigureAwait(false) is { } existing)
        {
            // Written completely by an earlier run (renamed into place, or a whole PUT): report it as it is.
            report.Add(label, relative, existing.Width, existing.Height);
            return (BatchOutcome.Skipped, null);
        }

        if (!(await renderer.RenderAsync(source, instruction, ct).ConfigureAwait(false)).TryGetValue(out var image, out var error))
        {
            return (BatchOutcome.Failed, error.Message);
        }

        await sink.WriteAsync(relative, image.Data, image.MediaType, image.Width, image.Height, ct).ConfigureAwait(false);
        report.Add(label, relative, image.Width, image.Height);
        return (BatchOutcome.Done, null);
    }

    private async Task<(BatchOutcome, string?)> PaletteAsync(ImagePipeline pipeline, SourceDescription source, ImageReport report, CancellationToken ct)
    {
        // A small rendition holds the colours of the whole; 160 px keeps k-means instant.
        var request = Core.Iiif.ImageRequestParser.Parse(Core.Iiif.ApiVersion.V2, source.Source.Identifier, "full", "!160,160", "0", "default.png");
        if (!request.TryGetValue(out var parsed, out var error)
            || !pipeline.Plan(parsed).TryGetValue(out var planned, out error)
            || !(await pipeline.RenderAsync(planned.Plan, planned.Source, ct).ConfigureAwait(false)).TryGetValue(out var image, out error))
        {
            return (BatchOutcome.Failed, error.Message);
        }

        using var decoded = VipsImage.NewFromBuffer(image.Data);
        using var joined = decoded.Bands >= 3 ? decoded.Call("copy") : VipsOperation.Image("bandjoin", ("in", new[] { decoded, decoded, decoded }));
        using var rgb = joined.ExtractBand(0, 3);
        report.Palette = PaletteExtractor.Extract(rgb.ToPixels(), Options.PaletteSize);
        return (BatchOutcome.Done, null);
    }

    private sealed class ImageReport(string identifier)
    {
        private readonly ConcurrentDictionary<string, (string Uri, int Width, int Height)> _derivatives = new(StringComparer.Ordinal);

        public string Identifier { get; } = identifier;

        public IReadOnlyList<PaletteColour> Palette { get; set; } = [];

        public void Add(string label, string uri, int width, int height) => _derivatives[label] = (uri, width, height);

        public JsonObject ToJson(IEnumerable<string> labels)
        {
            var dimensions = new JsonObject();
            var uris = new JsonObject();
            foreach (var label in labels)
            {
                if (_derivatives.TryGetValue(label, out var d))
                {
                    dimensions[label] = new JsonArray(d.Width, d.Height);
                    uris[label] = d.Uri;
                }
            }

            var palette = new JsonArray();
            foreach (var colour in Palette)
            {
                palette.Add(new JsonObject { ["hex"] = colour.Hex, ["name"] = colour.Name, ["reference"] = colour.Reference });
            }

            return new JsonObject { ["origin"] = Identifier, ["dimensions"] = dimensions, ["uris"] = uris, ["palette"] = palette };
        }
    }
}
