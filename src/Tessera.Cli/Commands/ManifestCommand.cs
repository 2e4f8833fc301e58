using System.CommandLine;
using System.Text;
using System.Text.Json;
using Tessera.Core.Iiif;
using Tessera.Core.Presentation;
using Tessera.Imaging.Batch;
using Tessera.Imaging.Pipeline;
using Tessera.Imaging.Presentation;
using Tessera.Imaging.Sources;
using Tessera.Server.Access;
using Tessera.Imaging.Storage;

namespace Tessera.Cli.Commands;

/// <summary>
/// <c>tessera manifest</c>: IIIF Presentation 3.0 documents for the images under a folder, written as files laid out
/// as the server serves them under <c>{base}/iiif/presentation/</c> (the same builder makes both).
/// </summary>
internal static class ManifestCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var root = new Option<string>("--root") { Description = "Folder of images, or s3://bucket/prefix: each sub-folder of images is one object, each image directly under it a one-canvas object.", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "Folder (created if missing) or s3://bucket/prefix to write collection.json and {object}/manifest.json into.", Required = true };
        var baseUrl = new Option<string>("--base-url") { Description = "Public URL of the Tessera server that serves these images, e.g. https://images.example.org. Image services are {base}/iiif/3/{id}; documents get ids under {base}/iiif/presentation/.", Required = true };
        var csv = new Option<FileInfo?>("--csv") { Description = "Descriptive metadata: a CSV with an identifier column (the object's folder path or image identifier) and optional label, summary, rights, requiredStatement, navDate; every other column becomes a metadata entry." };
        var access = new Option<FileInfo?>("--access") { Description = "The server's access rules (docs/access.md): hidden images and objects are left out, and protected images get their IIIF auth services, as the public sees them." };
        var imageService2 = new Option<bool>("--image-service2") { Description = "Also list an ImageService2 ({base}/iiif/2/{id}) beside each ImageService3, for viewers that only speak Image API 2." };

        var command = new Command(
            "manifest",
            """
            Write IIIF Presentation 3.0 Manifests (one per object, canvases in natural order: page-2 before page-10) and a
            Collection listing them, for the images under --root.

            Examples:
              tessera manifest --root ./samples --out ./site/iiif/presentation --base-url https://images.example.org
              tessera manifest --root /data/archive --out ./out --base-url http://127.0.0.1:8182 --csv objects.csv --image-service2
              tessera manifest --root s3://masters/archive --out s3://site/iiif/presentation --base-url https://images.example.org
            """)
        {
            root, output, baseUrl, csv, imageService2, access,
        };

        // Documents found already there with the same bytes, counted for the closing line.
        var unchanged = 0;
        command.SetAction(async (result, cancellationToken) =>
        {
            var stdout = result.InvocationConfiguration.Output;
            var stderr = result.InvocationConfiguration.Error;
            var problems = new List<string>();
            var rootText = result.GetValue(root)!;
            var remote = RemoteSources.IsRemote(rootText);
            var outDir = result.GetValue(output)!;
            if (OutputPaths.IsS3(outDir) && !S3Location.TryParse(outDir, "--out", out _, out var outProblem))
            {
                problems.Add(outProblem!);
            }
            var url = result.GetValue(baseUrl)!;
            if (remote && S3Location.IsS3(rootText) is false)
            {
                problems.Add($"Expected a folder or s3://bucket/prefix for --root (a web server cannot be listed) but received \"{rootText}\"");
            }
            else if (remote && RemoteSources.RootProblem(rootText, "--root") is { } rootProblem)
            {
                problems.Add(rootProblem);
            }
            else if (!remote && !Directory.Exists(rootText))
            {
                problems.Add($"Expected an existing folder for --root but received \"{Path.GetFullPath(rootText)}\"");
            }

            if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(parsed.Query) || !string.IsNullOrEmpty(parsed.Fragment))
            {
                problems.Add($"Expected an http(s) URL without query or fragment for --base-url but received \"{url}\"");
            }

            IReadOnlyDictionary<string, DescriptiveMetadata> metadata = new Dictionary<string, DescriptiveMetadata>();
            if (result.GetValue(csv) is { } csvFile)
            {
                if (!csvFile.Exists)
                {
                    problems.Add($"Expected an existing CSV file for --csv but received \"{csvFile.FullName}\"");
                }
                else
                {
                    // The server's ManifestCsv reads it the same way (one reader, one mapping in PresentationBuilder).
                    var (rows, errors) = MetadataCsvFile.Read(csvFile.FullName, "--csv");
                    problems.AddRange(errors);
                    metadata = rows;
                }
            }

            AccessRules? rules = null;
            if (result.GetValue(access) is { } accessFile)
            {
                (rules, var accessProblem) = AccessRules.Load(accessFile.FullName);
                if (accessProblem is not null)
                {
                    problems.Add(accessProblem);
                }
            }

            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                {
                    await stderr.WriteLineAsync(problem);
                }

                return 2;
            }

            var settings = remote ? BatchOptions.RemoteSettings(stderr) : RemoteSourceSettings.Default;
            if (settings is null)
            {
                return 2;
            }

            try
            {
                return await WriteAsync(result, remote ? rootText : Path.GetFullPath(rootText), settings, outDir, url, metadata, rules, cancellationToken);
            }
            finally
            {
                if (remote)
                {
                    BatchOptions.RemoveSpool(settings);
                }
            }
        });
        return command;

        async Task<int> WriteAsync(ParseResult result, string rootPath, RemoteSourceSettings settings, string outDir, string url, IReadOnlyDictionary<string, DescriptiveMetadata> metadata, AccessRules? rules, CancellationToken cancellationToken)
        {
            var stdout = result.InvocationConfiguration.Output;
            var stderr = result.InvocationConfiguration.Error;
            var catalog = PipelineFactory.Create(new ImagePipelineSettings { Root = rootPath, Remote = settings, Listing = ListingLimits.Batch }).Catalog;

            // A store that cannot be read is one clear line and exit code 1, before anything is written.
            if (RemoteSources.IsRemote(rootPath) && catalog.Resolver.RootProblem() is { } unreadable)
            {
                await stderr.WriteLineAsync(unreadable);
                return 1;
            }

            var source = new PresentationSource(catalog);
            var options = new PresentationOptions
            {
                BaseUrl = url.TrimEnd('/'),
                ImageService2 = result.GetValue(imageService2),
                CollectionLabel = PresentationSource.CollectionLabel(rootPath),
            };

            var written = new List<PresentationObject>();
            using var sink = BatchStorage.Default.OpenOutput(outDir, Shard.All);
            var listing = source.List(cancellationToken);
            if (listing.Truncated is { } failed && failed.StartsWith("the bucket could not be listed", StringComparison.Ordinal))
            {
                await stderr.WriteLineAsync($"Expected to list the images under {rootPath} but {failed}");
                return 1;
            }

            BatchOptions.Report(listing, stderr);

            // One listing of the output: a rerun learns which documents are there without a request each.
            await sink.ScanAsync("", cancellationToken);
            if (rules is not null)
            {
                // Written for everyone: what the public may not even know of is left out.
                listing = new SourceListing([.. listing.Where(id => AccessPolicy.Decide(rules, id, AccessPolicy.Public) is not { Status: 404 })], listing.Truncated, listing.Skipped);
            }

            foreach (var obj in PresentationSource.Objects(listing))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var skipped = new List<IiifError>();
                if (!source.Canvases(obj, skipped).TryGetValue(out var canvases, out _) || canvases.Count == 0)
                {
                    await stderr.WriteLineAsync($"Skipped object \"{obj.Id}\": none of its images could be read ({skipped.FirstOrDefault()?.Message})");
                    continue;
                }

                foreach (var error in skipped)
                {
                    await stderr.WriteLineAsync($"Left out of \"{obj.Id}\": {error.Message}");
                }

                var manifest = PresentationBuilder.Manifest(obj, canvases, options, metadata.GetValueOrDefault(obj.Id));
                if (rules is not null)
                {
                    AccessPolicy.Decorate(manifest, rules, AccessPolicy.Public, options.BaseUrl);
                }

                await WriteDocumentAsync(sink, $"{obj.Id}/manifest.json", manifest.ToJsonString(Indented), cancellationToken);
                written.Add(obj);
            }

            foreach (var unused in metadata.Keys.Where(k => !written.Any(o => o.Id == k)))
            {
                await stderr.WriteLineAsync($"CSV row \"{unused}\" matches no object under the root (ids are folder paths or image identifiers, e.g. maps/atlas or photo.jpg)");
            }

            var collection = PresentationBuilder.Collection(written, options, metadata);
            await WriteDocumentAsync(sink, "collection.json", collection.ToJsonString(Indented), cancellationToken);
            await stdout.WriteLineAsync($"Wrote {written.Count} manifest{(written.Count == 1 ? "" : "s")} and collection.json to {(OutputPaths.IsS3(outDir) ? outDir : Path.GetFullPath(outDir))} (ids under {options.BaseUrl}/iiif/presentation/){(unchanged > 0 ? $"; {unchanged} already there unchanged" : "")}");
            return 0;
        }

        // A document already there with exactly these bytes is left alone: a rerun over a bucket rewrites only what changed.
        async Task WriteDocumentAsync(IOutputSink sink, string path, string json, CancellationToken cancellationToken)
        {
            var bytes = Encoding.UTF8.GetBytes(json + "\n");
            if (sink.Holds(path, bytes))
            {
                unchanged++;
                return;
            }

            await sink.WriteAsync(path, bytes, "application/json", cancellationToken: cancellationToken);
        }
    }
}
