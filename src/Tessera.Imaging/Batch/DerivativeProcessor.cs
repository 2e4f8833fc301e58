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
public sealed class DerivativeProcessor(ProcessOptions options)
{
    // Derivatives are not tiles a server must match: allow the big ones (an original "o" of a gigapixel master).
    private static readonly ServerLimits Unbounded = new(65_000, 65_000, 4_000_000_000);

    /// <summary>The options, validated on construction.</summary>
    public ProcessOptions Options { get; } = InvalidOptionsException.ThrowIfAny(options, options.Validate(), nameof(options));

    public async Task<(BatchSummary Summary, JsonObject Report)> RunAsync(IReadOnlyList<string> identifiers, IBatchProgress? progress = null, CancellationToken cancellationToken = default)
    {
        var tally = new BatchTally(progress);
        var pipeline = BatchPipeline.Create(Options.Root, Options.Jobs, Options.Render, Unbounded, Options.SourceLimits);
        var renderer = new DerivativeRenderer(pipeline);
        Directory.CreateDirectory(Options.Output);
        using var staging = new StagingArea(Options.Output, Options.Shard.Tag);

        var reports = new ConcurrentDictionary<string, ImageReport>(StringComparer.Ordinal);
        var work = new List<(SourceDescription Source, string? Label)>();
        foreach (var identifier in identifiers.Distinct(StringComparer.Ordinal).Where(Options.Shard.Owns))
        {
            if (!pipeline.Catalog.Describe(identifier).TryGetValue(out var source, out var error))
            {
                tally.AddWork(1);
                tally.Report(BatchOutcome.Failed, identifier, error.Message);
                continue;
            }

            reports[identifier] = new ImageReport(identifier);
            work.AddRange(Options.Instructions.Keys.Select(label => (source, (string?)label)));
            work.Add((source, null)); // the palette
        }

        tally.AddWork(work.Count);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Options.Jobs), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(work, parallel, async (item, ct) =>
        {
            var report = reports[item.Source.Source.Identifier];
            var name = $"{report.Identifier} {item.Label ?? "palette"}";
            try
            {
                var (outcome, message) = item.Label is null
                    ? await PaletteAsync(pipeline, item.Source, report, ct).ConfigureAwait(false)
                    : await DerivativeAsync(renderer, staging, item.Source, item.Label, report, ct).ConfigureAwait(false);
                tally.Report(outcome, name, message);
            }
            catch (Exception e) when (e is VipsException or IOException or UnauthorizedAccessException or FormatException)
            {
                tally.Report(BatchOutcome.Failed, name, e.Message);
            }
        }).ConfigureAwait(false);

        var json = new JsonObject();
        foreach (var report in reports.Values.OrderBy(r => r.Identifier, NaturalStringComparer.Instance))
        {
            json[report.Identifier] = report.ToJson(Options.Instructions.Keys);
        }

        return (tally.Summary(), json);
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

    private async Task<(BatchOutcome, string?)> DerivativeAsync(DerivativeRenderer renderer, StagingArea staging, SourceDescription source, string label, ImageReport report, CancellationToken ct)
    {
        var instruction = Options.Instructions[label];
        var relative = RelativePath(source.Source.Identifier, label, instruction, source);
        var outputRoot = Path.GetFullPath(Options.Output) + Path.DirectorySeparatorChar;
        var path = Path.GetFullPath(Path.Combine(Options.Output, relative));
        if (!path.StartsWith(outputRoot, StringComparison.Ordinal))
        {
            return (BatchOutcome.Failed, $"Expected a path inside the output folder for \"{label}\" but the template gave \"{relative}\"");
        }

        if (!Options.Force && File.Exists(path))
        {
            // Written completely by an earlier run (renamed into place): report it as it is.
            using var existing = VipsImage.NewFromFile(path);
            report.Add(label, relative, existing.Width, existing.Height);
            return (BatchOutcome.Skipped, null);
        }

        if (!(await renderer.RenderAsync(source, instruction, ct).ConfigureAwait(false)).TryGetValue(out var image, out var error))
        {
            return (BatchOutcome.Failed, error.Message);
        }

        staging.Write(path, image.Data);
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
