using Tessera.Imaging.Colour;
using Tessera.Imaging.Sources;
using Tessera.Vips;

namespace Tessera.Imaging.Batch;

/// <summary>
/// Turns masters into serving copies: tiled pyramidal JPEG TIFF (libvips <c>tiffsave</c>), tiled JPEG 2000
/// (<c>jp2ksave</c>) or tiled HTJ2K (<see cref="Htj2kWriter"/>). Masters are opened read-only with sequential access, so a gigapixel image streams through in
/// bounded memory; outputs are written beside the output tree and renamed into place; an output whose modification
/// time equals its master's is up to date and skipped; a master that fails is reported and the rest go on.
/// </summary>
/// <remarks>
/// Colour: unless <see cref="ConvertOptions.KeepProfile"/>, an 8-bit master with an RGB ICC profile that is not sRGB is
/// transformed to sRGB (libvips <c>icc_transform</c>, relative intent, its own profile in) and reported; one with an sRGB
/// profile keeps its pixels. Either way the output carries no profile, so the server serves it from stored tiles as
/// it would an untagged one. CMYK, grey, 16-bit and float masters are converted as before (16-bit and float to 8-bit
/// with their profile kept); a profile that does not parse is kept too, and then served as untagged.
/// </remarks>
public sealed class MasterConverter(ConvertOptions options)
{
    private static readonly HashSet<string> MasterExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".tif", ".tiff", ".ptif", ".jpg", ".jpeg", ".png", ".webp", ".jp2", ".j2k", ".jpx", ".jph", ".heic", ".heif", ".avif",
    };

    // Classic TIFF stops at 4 GiB; past about half that (uncompressed, pyramid included) write BigTIFF to be safe.
    private const long BigTiffThreshold = 2L << 30;

    /// <summary>The options, validated on construction.</summary>
    public ConvertOptions Options { get; } = InvalidOptionsException.ThrowIfAny(options, options.Validate(), nameof(options));

    /// <summary>The masters under the inputs (files, or folders searched recursively) with their output paths.</summary>
    public IReadOnlyList<(string Master, string Output)> Find(IEnumerable<string> inputs)
    {
        var extension = Options.Format switch
        {
            ConvertFormat.Jp2 => ".jp2",
            ConvertFormat.Htj2k => ".jph",
            _ => ".tif",
        };
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

            // Judged from the header before libvips opens the master: a bomb is refused, not decoded.
            if (Options.Limits.Refuse(HeaderProbe.Read(master)) is { } reason)
            {
                return (BatchOutcome.Failed, $"Refused: {reason}");
            }

            temporary = staging.NewTemporaryPath(Path.GetExtension(output));
            var note = Save(master, temporary);

            // The output carries its master's time: equal times mean up to date, even for a master restored from backup.
            File.SetLastWriteTimeUtc(temporary, masterTime);
            staging.Commit(temporary, output);
            return (BatchOutcome.Done, note);
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

    /// <summary>Writes the serving copy; returns a note when the master's colours were converted.</summary>
    private string? Save(string master, string destination)
    {
        // Sequential: libvips streams the master top to bottom and the pyramid is built as strips arrive.
        // The loader Tessera chooses, and the data checked whole first: a damaged master is reported, never converted in part.
        var loader = LoaderChoice.Choose(master);
        using var errors = VipsErrorScope.Begin(master, loader);
        if (SourceIntegrity.Check(master, loader) is { } damage)
        {
            throw new VipsException(damage);
        }

        using var opened = VipsImage.LoadFile(loader, master, ("access", "sequential"), ("fail_on", "truncated"));
        using var eightBit = ToEightBit(opened);
        string? note = null;
        using var image = Options.KeepProfile ? eightBit.Share() : ToSrgb(eightBit, opened.Format, out note);
        var tile = Options.TileSize;
        if (Options.Format == ConvertFormat.Htj2k)
        {
            using var prepared = Htj2kWriter.Prepare(image);
            Htj2kWriter.Write(prepared, destination, tile, Options.Quality, Options.KeepProfile && image.Interpretation != Interpretation.Cmyk ? prepared.GetBlob("icc-profile-data") : null);
            return note;
        }

        if (Options.Format == ConvertFormat.Jp2)
        {
            image.SaveToFile("jp2ksave", destination, ("tile_width", tile), ("tile_height", tile), ("Q", Options.Quality));
            return note;
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
        return note;
    }

    /// <summary>
    /// An 8-bit master's pixels in sRGB without a profile: transformed from a non-sRGB RGB profile (<paramref name="note"/>
    /// says from which), as they are under an sRGB one. Other masters (no profile, grey, CMYK, a profile that does not
    /// parse, or <paramref name="masterFormat"/> not 8-bit) come back as they are.
    /// </summary>
    private static VipsImage ToSrgb(VipsImage image, BandFormat masterFormat, out string? note)
    {
        note = null;
        var profile = masterFormat == BandFormat.UChar && image.GetBlob("icc-profile-data") is { } bytes ? IccProfile.TryParse(bytes) : null;
        if (profile is null || profile.ColourSpace != IccColourSpace.Rgb || image.Bands < 3)
        {
            return image.Share();
        }

        if (profile.IsSrgb)
        {
            return image.Without("icc-profile-data");
        }

        using var transformed = image.Call("icc_transform", ("output_profile", "srgb"), ("embedded", true), ("intent", "relative"), ("depth", 8));
        note = profile.Description is { Length: > 0 } name ? $"converted from \"{name}\" to sRGB" : "converted from an unnamed ICC profile to sRGB";
        return transformed.Without("icc-profile-data");
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
