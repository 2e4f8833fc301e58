using System.CommandLine;
using System.Text.Json;
using Tessera.Imaging.Batch;
using Tessera.Imaging.Processing;
using Tessera.Imaging.Rendering;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera process</c>: go-iiif's iiif-process — named derivatives of every image, and a report.</summary>
internal static class ProcessCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create()
    {
        var identifiers = new Argument<string[]>("ID") { Description = "Identifiers to process (paths relative to --root). None: every image under --root.", Arity = ArgumentArity.ZeroOrMore };
        var root = new Option<string>("--root") { Description = "Folder of source images, or s3://bucket/prefix (each master downloaded when its turn comes, deleted after).", Required = true };
        var instructions = new Option<string>("--instructions", "-i") { Description = "go-iiif instructions file: {\"label\": {\"region\", \"size\", \"rotation\", \"quality\", \"format\"}, ...}.", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "Output folder for the derivatives, or s3://bucket/prefix.", Required = true };
        var report = new Option<string?>("--report") { Description = "Write the JSON report here, a file or s3://bucket/key (default: standard output)." };
        var template = new Option<string>("--uri-template") { Description = "Path of each derivative under --out, from {id} {label} {region} {size} {rotation} {quality} {format}.", DefaultValueFactory = _ => ProcessOptions.IiifPathTemplate };
        var force = new Option<bool>("--force") { Description = "Render again even when a derivative exists." };
        var quality = BatchOptions.Quality($"JPEG quality of the derivatives, 1..100 (default {RenderOptions.DefaultJpegQuality}, the server's).");
        var kernel = BatchOptions.Kernel();
        var jobs = BatchOptions.Jobs();
        var shard = BatchOptions.Shard();
        var limits = new SourceLimitFlags();

        var command = new Command(
            "process",
            """
            Make named derivatives of each image from go-iiif iiif-process instructions, through the server's pipeline,
            and report their sizes, paths and each image's five dominant colours. Besides IIIF 2.1 parameters:
            quality "dither" (1-bit halftone), region "-1,-1,w,h" (smart crop: the most interesting w×h area),
            rotation "-1" (EXIF orientation not applied), format "" (the source's format).

            Example instructions (SFO Museum's set):
              {"o":  {"size": "full", "format": "", "rotation": "-1"},
               "k":  {"size": "!2048,2048"}, "b": {"size": "!1024,1024"}, "c": {"size": "!800,800"},
               "dc": {"size": "!800,800", "quality": "dither"}, "z": {"size": "!640,640"}, "n": {"size": "!320,320"},
               "s":  {"region": "-1,-1,150,150"}, "ds": {"region": "-1,-1,150,150", "quality": "dither"}}

            Examples:
              tessera process --root ./photos --instructions sfo.json --out ./derivatives --report report.json
              tessera process --root ./photos -i sfo.json -o ./derivatives --uri-template "{id}/{label}.{format}" 1994.18.001.jpg
              tessera process --root s3://masters -i sfo.json -o s3://derivatives --report s3://derivatives/report.json --shard 0/8
            """)
        {
            identifiers, root, instructions, output, report, template, force, quality, kernel, jobs, shard,
        };
        limits.AddTo(command);

        command.SetAction(async (result, cancellationToken) =>
        {
            var error = result.InvocationConfiguration.Error;
            if (!BatchOptions.Positive(result.GetValue(quality), "--quality", error, 100)
                || !BatchOptions.TryKernel(result.GetValue(kernel), error, out var resampleKernel)
                || !BatchOptions.Positive(result.GetValue(jobs), "--jobs", error)
                || !BatchOptions.TryShard(result.GetValue(shard), error, out var part))
            {
                return 2;
            }

            var rootFolder = result.GetValue(root)!;
            var remote = BatchStorage.IsRemote(rootFolder);
            if (!remote && !Directory.Exists(rootFolder))
            {
                error.WriteLine($"Expected an existing folder for --root but received \"{rootFolder}\"");
                return 2;
            }

            IReadOnlyDictionary<string, Instruction> set;
            var file = result.GetValue(instructions)!;
            try
            {
                set = InstructionSet.Parse(File.ReadAllText(file));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                error.WriteLine($"Expected a go-iiif instructions file for --instructions but \"{file}\" could not be used: {e.Message}");
                return 2;
            }

            var ids = remote
                ? await BatchOptions.RemoteIdentifiersAsync(result.GetValue(identifiers), rootFolder, error, cancellationToken)
                : BatchOptions.Identifiers(result.GetValue(identifiers), rootFolder, error, cancellationToken);
            if (ids is null)
            {
                // A bucket that cannot be listed is exit code 1, as for seed and manifest (a job runner retries it); a web
                // server (which cannot be listed) without identifiers is a usage error.
                return OutputPaths.IsS3(rootFolder) ? 1 : 2;
            }

            var options = new ProcessOptions
            {
                Root = rootFolder,
                Output = result.GetValue(output)!,
                Instructions = set,
                UriTemplate = result.GetValue(template)!,
                Jobs = result.GetValue(jobs),
                Shard = part,
                SourceLimits = limits.Read(result),
                Force = result.GetValue(force),
                JpegQuality = result.GetValue(quality),
                Kernel = resampleKernel,
            };
            if (!BatchOptions.Valid(options.Validate(), error))
            {
                return 2;
            }

            var processor = new DerivativeProcessor(options);

            System.Text.Json.Nodes.JsonObject? json = null;
            var exit = await BatchConsole.RunAsync("process", error, async progress =>
            {
                var (summary, document) = await processor.RunAsync(ids, progress, cancellationToken);
                json = document;
                return summary;
            });

            var text = json!.ToJsonString(Indented);
            if (result.GetValue(report) is { } reportObject && BatchStorage.IsRemote(reportObject))
            {
                try
                {
                    await BatchStorage.Default.PutAsync(reportObject, System.Text.Encoding.UTF8.GetBytes(text), "application/json", cancellationToken);
                }
                catch (Exception e) when (e is Amazon.Runtime.AmazonServiceException or Amazon.Runtime.AmazonClientException or Imaging.InvalidOptionsException)
                {
                    error.WriteLine($"Expected to write the report to {reportObject} but it failed: {e.Message}");
                    return 1;
                }
            }
            else if (result.GetValue(report) is { } reportPath)
            {
                var folder = Path.GetDirectoryName(Path.GetFullPath(reportPath))!;
                Directory.CreateDirectory(folder);
                var temporary = Path.Combine(folder, $".{Path.GetFileName(reportPath)}.{Environment.ProcessId}.part");
                await File.WriteAllTextAsync(temporary, text, cancellationToken);
                File.Move(temporary, reportPath, overwrite: true);
            }
            else
            {
                result.InvocationConfiguration.Output.WriteLine(text);
            }

            return exit;
        });
        return command;
    }
}
