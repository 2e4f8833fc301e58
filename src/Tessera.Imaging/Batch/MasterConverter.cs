using Tessera.Vips;

namespace Tessera.Imaging.Batch;

/// <summary>
/// Turns masters into serving copies: tiled pyramidal JPEG TIFF (libvips <c>tiffsave</c>) or tiled JPEG 2000
/// (<c>jp2ksave</c>). Masters are opened read-only with sequential access, so a gigapixel image streams through in
/// bounded memory; outputs are written beside the output tree and renamed into place; an output whose modification
/// time equals its master's is up to date and skipped; a master that fails is reported and the rest go on.
/// </summary>
public sealed class MasterConverter(ConvertOptions options)
{
    private static readonly HashSet<string> MasterExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".tif", ".tiff", ".ptif", ".jpg", ".jpeg", ".png", ".webp", ".jp2", ".j2k", ".jpx", ".heic", ".heif", ".avif",
    };

    // Classic TIFF stops at 4 GiB; past about half that (uncompressed, pyramid included) write BigTIFF to be safe.
    private const long BigTiffThreshold = 2L << 30;

    /// <summary>The options, validated on construction.</summary>
    public ConvertOptions Options { get; } = InvalidOptionsException.ThrowIfAny(options, options.Validate(), nameof(options));

    /// <summary>The masters under the inputs (files, or folders searched recursively) with their output paths.</summary>
    public IReadOnlyList<(string Master, string Output)> Find(IEnumerable<string> inputs)
    {
        var extension = Options.Format == ConvertFormat.Jp2 ? ".jp2" : ".tif";
        var found = new List<(string, string)>();
        var outputRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Options.Output)) + Path.DirectorySeparatorChar;
        foreach (var input in inputs)
        {
            var full = Path.GetFullPath(input);
            if (Directory.Exists(full))
            {
                var enumeration = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden };
                foreach (var file in Directory.EnumerateFiles(full, "*", enumeration).Order(StringComparer.Ordinal))
                {
                    // Outputs written into a folder that is also an input are not masters.
                    if (MasterExtensions.Contains(Path.GetExtension(file)) && !file.StartsWith(outputRoot, StringComparison.Ordinal))
                    {
                        found.Add((file, Path.Combine(Options.Output, Path.ChangeExtension(Path.GetRelativePath(full, file), extension))));
                    }
                }
            }
            else
            {
                // A named file is converted whatever its extension; one that is not an image fails and is reported.
                found.Add((full, Path.Combine(Options.Output, Path.ChangeExtension(Path.GetFileName(full), extension))));
            }
        }

        return found;
    }

    /// <summary>Converts every master this shard owns. Failures are counted and reported, never thrown.</summary>
    public async Task<BatchSummary> RunAsync(IEnumerable<string> inputs, IBatchProgress? progress = null, CancellationToken cancellationToken = default)
    {
        var tally = new BatchTally(progress);
        var jobs = Math.Max(1, Options.Jobs);

        // One master per job; libvips shares the remaining cores inside each (a single huge master gets them all).
        BatchPipeline.ConfigureVips(libvipsThreads: Math.Max(1, Environment.ProcessorCount / jobs));
        Directory.CreateDirectory(Options.Output);
        using var staging = new StagingArea(Options.Output, Options.Shard.Tag);

        var masters = Find(inputs).Where(m => Options.Shard.Owns(Path.GetRelativePath(Options.Output, m.Output))).ToList();
        tally.AddWork(masters.Count);
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = jobs, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(masters, parallel, (m, _) =>
        {
            bool first;
            lock (claimed)
            {
                first = claimed.Add(m.Output);
            }

            if (!first)
            {
                tally.Report(BatchOutcome.Failed, m.Master, $"Another master already converts to \"{m.Output}\"");
                return ValueTask.CompletedTask;
            }

            var (outcome, message) = ConvertOne(staging, m.Master, m.Output);
            tally.Report(outcome, m.Master, message);
            return ValueTask.CompletedTask;
        }).ConfigureAwait(false);

        return tally.Summary();
    }

    /// <summary>Converts one master; never modifies it.</summary>
    public (BatchOutcome Outcome, string? Message) ConvertOne(StagingArea staging, string master, string output)
    {
        string? temporary = null;
        try
        {
            var masterTime = File.GetLastWriteTimeUtc(master);
            if (!File.Exists(master))
            {
                return (BatchOutcome.Failed, "No such file");
            }

            if (string.Equals(Path.GetFullPath(master), Path.GetFullPath(output), StringComparison.Ordinal))
            {
                return (BatchOutcome.Failed, "The output would replace its master: choose another --out");
            }

            if (!Options.Force && File.Exists(output) && File.GetLastWriteTimeUtc(output) == masterTime)
            {
                return (BatchOutcome.Skipped, null);
            }

            temporary = staging.NewTemporaryPath(Path.GetExtension(output));
            Save(master, temporary);

            // The output carries its master's time: equal times mean up to date, even for a master restored from backup.
            File.SetLastWriteTimeUtc(temporary, masterTime);
            staging.Commit(temporary, output);
            return (BatchOutcome.Done, null);
        }
        catch (Exception e) when (e is VipsException or IOException or UnauthorizedAccessException)
        {
            if (temporary is not null && File.Exists(temporary))
            {
                File.Delete(temporary);
            }

            var text = e is VipsException v && v.NativeMessage.Length > 0 ? v.NativeMessage : e.Message;
            return (BatchOutcome.Failed, FirstLine(text));
        }
    }

    private void Save(string master, string destination)
    {
        // Sequential: libvips streams the master top to bottom and the pyramid is built as strips arrive.
        using var opened = VipsImage.NewFromFile(master, ("access", "sequential"), ("fail_on", "truncated"));
        using var image = ToEightBit(opened);
        var tile = Options.TileSize;
        if (Options.Format == ConvertFormat.Jp2)
        {
            image.SaveToFile("jp2ksave", destination, ("tile_width", tile), ("tile_height", tile), ("Q", Options.Quality));
            return;
        }

        var bigtiff = (long)image.Width * image.Height * image.Bands * 4 / 3 > BigTiffThreshold;
        var compression = image.HasAlpha ? "deflate" : "jpeg";
        image.SaveToFile(
            "tiffsave",
            destination,
            ("tile", true),
            ("tile_width", tile),
            ("tile_height", tile),
            ("pyramid", true),
            ("compression", compression),
            ("Q", Options.Quality),
            ("bigtiff", bigtiff));
    }

    /// <summary>JPEG tiles hold 8-bit samples: 16-bit and float masters are converted (colour-managed by libvips).</summary>
    private static VipsImage ToEightBit(VipsImage image)
    {
        if (image.Format == BandFormat.UChar)
        {
            return image.Call("copy");
        }

        var space = image.Interpretation switch
        {
            Interpretation.Grey16 or Interpretation.BW => "b-w",
            Interpretation.Cmyk => "cmyk",
            _ => "srgb",
        };

        using var converted = image.Colourspace(space);
        return converted.Cast(BandFormat.UChar);
    }

    private static string FirstLine(string text)
    {
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        return (newline < 0 ? text : text[..newline]).Trim();
    }
}
