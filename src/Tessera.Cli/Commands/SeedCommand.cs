using System.CommandLine;
using Tessera.Core.Iiif;
using Tessera.Imaging.Batch;
using Tessera.Imaging.Rendering;
using Tessera.Imaging.Storage;
using Tessera.Server.Access;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera seed</c>: a static IIIF level-0 tree of tiles and info.json that any web server can serve.</summary>
internal static class SeedCommand
{
    public static Command Create()
    {
        var identifiers = new Argument<string[]>("ID") { Description = "Identifiers to seed (paths relative to --root). None: every image under --root (a web server root needs them).", Arity = ArgumentArity.ZeroOrMore };
        var root = new Option<string>("--root") { Description = "Folder of source images, s3://bucket/prefix or https://host/prefix/ (read in place as the server reads it: pyramids by ranged GETs).", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "Output folder or s3://bucket/prefix: OUT/{id}/info.json and OUT/{id}/{region}/{size}/0/default.jpg.", Required = true };
        var version = new Option<int>("--version") { Description = "IIIF Image API version of the tree: 3 or 2.", DefaultValueFactory = _ => 3 };
        version.AcceptOnlyFromAmong("2", "3");
        var tileSize = new Option<int>("--tile-size") { Description = "Tile width and height in pixels (match the pyramid TIFF's tiles to copy them as stored).", DefaultValueFactory = _ => 256 };
        var scaleFactors = new Option<string?>("--scale-factors") { Description = "Comma-separated scale factors, e.g. 1,2,4,8 (default: powers of two until the image is one tile)." };
        var access = new Option<FileInfo?>("--access") { Description = "The server's access rules (docs/access.md): a static tree is public, so only images the rules leave public are seeded (the others are listed as left out), with their redaction boxes drawn." };
        var baseUrl = new Option<string>("--base-url") { Description = "Public URL the tree is served under; info.json's id is {base-url}/{id}.", DefaultValueFactory = _ => "http://localhost:8000" };
        var quality = BatchOptions.Quality($"JPEG quality; keep the server's (default {RenderOptions.DefaultJpegQuality}) for tiles identical to the server's.");
        var kernel = BatchOptions.Kernel();
        var jobs = BatchOptions.Jobs();
        var shard = BatchOptions.Shard();
        var limits = new SourceLimitFlags();

        var command = new Command(
            "seed",
            """
            Write a static IIIF level-0 tree: OUT/{id}/info.json and every tile and size a viewer asks for, so any static
            web server or bucket serves a zoomable image. Each tile is rendered by the same pipeline as `tessera serve`,
            so it is byte for byte what the server returns for that URL. Resumable: files are renamed into place when
            complete and existing files are skipped, so after a crash or kill just run it again.

            Examples:
              tessera seed --root ./serve --out ./static --base-url https://example.org/iiif photo.tif
              tessera seed --root ./serve --out ./static --version 2 --tile-size 512
              tessera seed --root ./serve --out ./static --shard 0/4    # part 0 of 4 workers
              tessera seed --root ./serve --out s3://static-iiif/iiif  # one PUT per file, one listing per image on reruns
              tessera seed --root s3://masters/maps --out s3://static-iiif/maps   # pyramids read in place from a bucket
              python3 -m http.server -d ./static 8000                   # then open http://localhost:8000/photo.tif/info.json
            """)
        {
            identifiers, root, output, version, tileSize, scaleFactors, baseUrl, quality, kernel, jobs, shard, access,
        };
        limits.AddTo(command);

        command.SetAction(async (result, cancellationToken) =>
        {
            var error = result.InvocationConfiguration.Error;
            if (!BatchOptions.Positive(result.GetValue(tileSize), "--tile-size", error, 8192)
                || !BatchOptions.Positive(result.GetValue(quality), "--quality", error, 100)
                || !BatchOptions.TryKernel(result.GetValue(kernel), error, out var resampleKernel)
                || !BatchOptions.Positive(result.GetValue(jobs), "--jobs", error)
                || !BatchOptions.TryShard(result.GetValue(shard), error, out var part)
                || !TryScaleFactors(result.GetValue(scaleFactors), error, out var factors))
            {
                return 2;
            }

            var rootFolder = result.GetValue(root)!;
            var remote = RemoteSources.IsRemote(rootFolder) ? BatchOptions.RemoteSettings(error) : null;
            if (RemoteSources.IsRemote(rootFolder) && remote is null)
            {
                return 2;
            }

            if (remote is null && !Directory.Exists(rootFolder))
            {
                error.WriteLine($"Expected an existing folder, s3://bucket/prefix or https://host/prefix/ for --root but received \"{rootFolder}\"");
                return 2;
            }

            var url = result.GetValue(baseUrl)!;
            if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
            {
                error.WriteLine($"Expected an absolute http(s) URL for --base-url but received \"{url}\"");
                return 2;
            }

            AccessRules? rules = null;
            if (result.GetValue(access) is { } accessFile)
            {
                (rules, var accessProblem) = AccessRules.Load(accessFile.FullName);
                if (accessProblem is not null)
                {
                    error.WriteLine(accessProblem);
                    return 2;
                }
            }

            // A store that cannot be read is one clear line and exit code 1, before any work (a job runner retries it).
            var ids = remote is null
                ? BatchOptions.Identifiers(result.GetValue(identifiers), rootFolder, error, cancellationToken)
                : BatchOptions.RemoteSourceIdentifiers(result.GetValue(identifiers), rootFolder, remote, error, cancellationToken);
            if (ids is null)
            {
                return 1;
            }

            if (rules is not null)
            {
                // Static tiles are for anyone who finds them: an image the rules protect (login, degraded or hidden) is
                // not seeded, as the server would not hand its full pixels to the public either.
                var protectedIds = ids.Where(id => rules.Find(id).Access != AccessKind.Public).ToList();
                foreach (var id in protectedIds)
                {
                    error.WriteLine($"left out {id}: the access rules make it {rules.Find(id).Access.ToString().ToLowerInvariant()}, and a static tree is public");
                }

                ids = [.. ids.Except(protectedIds, StringComparer.Ordinal)];
            }

            var options = new SeedOptions
            {
                Root = rootFolder,
                Remote = remote ?? RemoteSourceSettings.Default,
                Output = result.GetValue(output)!,
                Version = result.GetValue(version) == 2 ? ApiVersion.V2 : ApiVersion.V3,
                TileSize = result.GetValue(tileSize),
                ScaleFactors = factors,
                BaseUrl = url,
                JpegQuality = result.GetValue(quality),
                Kernel = resampleKernel,
                Jobs = result.GetValue(jobs),
                Shard = part,
                SourceLimits = limits.Read(result),
                Redactions = rules is { HasRedactions: true } ? rules.RedactionsOf : null,
            };
            if (!BatchOptions.Valid(options.Validate(), error))
            {
                return 2;
            }

            var seeder = new TileSeeder(options);
            try
            {
                return await BatchConsole.RunAsync("seed", error, progress => seeder.RunAsync(ids, progress, cancellationToken));
            }
            finally
            {
                if (remote is not null)
                {
                    BatchOptions.RemoveSpool(remote);
                }
            }
        });
        return command;
    }

    private static bool TryScaleFactors(string? text, TextWriter error, out IReadOnlyList<int>? factors)
    {
        factors = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var list = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, out var factor) || factor < 1 || (factor & (factor - 1)) != 0)
            {
                error.WriteLine($"Expected comma-separated powers of two for --scale-factors but received \"{text}\"");
                return false;
            }

            list.Add(factor);
        }

        factors = [.. list.Distinct().Order()];
        return true;
    }
}
