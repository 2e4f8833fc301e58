using System.CommandLine;
using Tessera.Imaging.Batch;
using Tessera.Imaging.Sources;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera convert</c>: masters to tiled pyramidal JPEG TIFF (or JPEG 2000), the best source format to serve.</summary>
internal static class ConvertCommand
{
    public static Command Create()
    {
        var sources = new Argument<string[]>("SRC") { Description = "Master files or folders (searched recursively for TIFF, JPEG, PNG, JPEG 2000, WebP and HEIC), s3://bucket/prefix (every master under it) or https:// URLs of masters; remote masters are downloaded one per job and deleted after.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out", "-o") { Description = "Output folder or s3://bucket/prefix; each input folder's layout is kept, the extension becomes .tif, .jp2 or .jph. S3 uploads of large pyramids are multipart; an object appears only when complete.", Required = true };
        var tileSize = new Option<int>("--tile-size") { Description = "Tile width and height in pixels.", DefaultValueFactory = _ => 256 };
        var quality = BatchOptions.Quality("JPEG (or JPEG 2000) quality, 1..100; for htj2k 100 is lossless.");
        var format = new Option<string>("--format") { Description = "tif (tiled pyramidal JPEG TIFF), jp2 (tiled JPEG 2000) or htj2k (tiled High-Throughput JPEG 2000 in .jph, through OpenJPH's ojph_compress).", DefaultValueFactory = _ => "tif" };
        format.AcceptOnlyFromAmong("tif", "jp2", "htj2k");
        var force = new Option<bool>("--force") { Description = "Convert even when the output is up to date." };
        var keepProfile = new Option<bool>("--keep-profile")
        {
            Description = "Keep each master's ICC profile and pixels. By default masters with another RGB profile are converted to sRGB and the profile dropped, so every tile can be served as stored.",
        };
        var maxSourcePixels = new Option<long>("--max-source-pixels")
        {
            Description = "Most pixels a master may declare; a master over it is reported and the rest go on.",
            DefaultValueFactory = _ => SourceLimits.Convert.MaxSourcePixels,
        };
        var maxDecodeMegabytes = new Option<int>("--max-decode-megabytes")
        {
            Description = "Most MiB a master's decoder may need at once by its header (a progressive JPEG is decoded whole, 2 bytes a DCT sample); a master over it is reported and the rest go on.",
            DefaultValueFactory = _ => SourceLimits.Convert.MaxDecodeMegabytes,
        };
        var jobs = BatchOptions.Jobs();
        var shard = BatchOptions.Shard();

        var command = new Command(
            "convert",
            """
            Convert masters into tiled pyramidal JPEG TIFFs (or JPEG 2000) for serving. Masters are only read; each output
            is written beside the tree and renamed into place when complete; outputs that are up to date (same
            modification time as their master) are skipped; a master that cannot be read is reported and the rest go
            on (exit code 1 at the end). Memory stays bounded: masters stream through libvips top to bottom, and a master
            whose header declares more than --max-source-pixels or a decode over --max-decode-megabytes is refused unread.
            Colour: 8-bit masters with a non-sRGB RGB profile (Adobe RGB, ProPhoto...) are converted to sRGB and each is
            reported; sRGB profiles are dropped; --keep-profile keeps profiles and pixels as they are.

            Examples:
              tessera convert ./masters --out ./serve
              tessera convert scan-0001.tif scan-0002.tif --out ./serve --quality 85 --jobs 4
              tessera convert ./masters --out ./serve --format jp2
              tessera convert ./masters --out ./serve --format htj2k --quality 100   # lossless HTJ2K masters
              tessera convert /mnt/masters --out /mnt/serve --shard 2/8     # part 2 of 8 machines
              tessera convert s3://masters/2026 --out s3://serving/2026    # bucket to bucket; reruns skip what is there
            """)
        {
            sources, output, tileSize, quality, format, force, keepProfile, maxSourcePixels, maxDecodeMegabytes, jobs, shard,
        };

        command.SetAction(async (result, cancellationToken) =>
        {
            var error = result.InvocationConfiguration.Error;
            if (!BatchOptions.Positive(result.GetValue(tileSize), "--tile-size", error, 8192)
                || !BatchOptions.Positive(result.GetValue(quality), "--quality", error, 100)
                || !BatchOptions.Positive(result.GetValue(jobs), "--jobs", error)
                || !BatchOptions.TryShard(result.GetValue(shard), error, out var part))
            {
                return 2;
            }

            var options = new ConvertOptions
            {
                Output = result.GetValue(output)!,
                TileSize = result.GetValue(tileSize),
                Quality = result.GetValue(quality),
                Format = result.GetValue(format) switch
                {
                    "jp2" => ConvertFormat.Jp2,
                    "htj2k" => ConvertFormat.Htj2k,
                    _ => ConvertFormat.Tif,
                },
                Jobs = result.GetValue(jobs),
                Shard = part,
                Force = result.GetValue(force),
                KeepProfile = result.GetValue(keepProfile),
                Limits = SourceLimits.Convert with { MaxSourcePixels = result.GetValue(maxSourcePixels), MaxDecodeMegabytes = result.GetValue(maxDecodeMegabytes) },
            };
            if (!BatchOptions.Valid(options.Validate(), error))
            {
                return 2;
            }

            var converter = new MasterConverter(options);
            return await BatchConsole.RunAsync("convert", error, progress => converter.RunAsync(result.GetValue(sources)!, progress, cancellationToken));
        });
        return command;
    }
}
