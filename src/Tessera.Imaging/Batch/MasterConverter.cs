using Tessera.Imaging.Colour;
using Tessera.Imaging.Sources;
using Tessera.Vips;

namespace Tessera.Imaging.Batch;

/// <summary>
/// Turns masters into serving copies: tiled pyramidal JPEG TIFF (libvips <c>tiffsave</c>), tiled JPEG 2000
/// (<c>jp2ksave</c>) or tiled HTJ2K (<see cref="Htj2kWriter"/>). Masters are opened read-only with sequential access, so a gigapixel image streams through in
/// bounded memory; outputs are written beside the output tree and renamed into place; an output whose modification
/// time equals its master's is up to date and skipped; a master that fails is reported and the rest go on. Masters may
/// be in S3 or behind HTTP (downloaded one per job to a temporary file, deleted after) and outputs may go to S3
/// (<see cref="IOutputSink"/>): there an output written after its master last changed is up to date.
/// </summary>
/// <remarks>
/// Colour: unless <see cref="ConvertOptions.KeepProfile"/>, an 8-bit master with an RGB ICC profile that is not sRGB is
/// transformed to sRGB (libvips <c>icc_transform</c>, relative intent, its own profile in) and reported; one with an sRGB
/// profile keeps its pixels. Either way the output carries no profile, so the server serves it from stored tiles as
/// it would an untagged one. CMYK, grey, 16-bit and float masters are converted as before (16-bit and float to 8-bit
/// with their profile kept); a profile that does not parse is kept too, and then served as untagged.
/// </remarks>
public sealed class MasterConverter(ConvertOptions options, BatchStorage? storage = null)
{
    private static readonly HashSet<string> MasterExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".tif", ".tiff", ".ptif", ".jpg", ".jpeg", ".png", ".webp", ".jp2", ".j2k", ".jpx", ".jph", ".heic", ".heif", ".avif",
    };

    // Classic TIFF stops at 4 GiB; past about half that (uncompressed, pyramid included) write BigTIFF to be safe.
    private const long BigTiffThreshold = 2L << 30;

    /// <summary>The options, validated on construction.</summary>
    public ConvertOptions Options { get; } = InvalidOptionsException.ThrowIfAny(options, options.Validate(), nameof(options));

    /// <summary>Where remote masters and S3 output are reached (default: the AWS SDK's standard settings).</summary>
    public BatchStorage Storage { get; } = storage ?? BatchStorage.Default;

    /// <summary>Whether a file name is one of the master formats looked for in folders and buckets.</summary>
    public static bool IsMasterName(string name) => MasterExtensions.Contains(Path.GetExtension(name));

    /// <summary>
    /// The local masters under the inputs (files, or folders searched recursively) with their outputs, relative to the
    /// output root with <c>/</c> separators.
    /// </summary>
    public IReadOnlyList<(string Master, string Output)> Find(IEnumerable<string> inputs)
    {
        var found = new List<(string, string)>();
        var outputRoot = OutputPaths.IsS3(Options.Output) ? null : Path.TrimEndingDirectorySeparator(Path.GetFullPath(Options.Output)) + Path.DirectorySeparatorChar;
        foreach (var input in inputs)
        {
            var full = Path.GetFullPath(input);
            if (Directory.Exists(full))
            {
                var enumeration = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden };
                foreach (var file in Directory.EnumerateFiles(full, "*", enumeration).Order(StringComparer.Ordinal))
                {
                    // Outputs written into a folder that is also an input are not masters.
                    if (IsMasterName(file) && (outputRoot is null || !file.StartsWith(outputRoot, StringComparison.Ordinal)))
                    {
                        found.Add((file, OutputName(Path.GetRelativePath(full, file))));
                    }
                }
            }
            else
            {
                // A named file is converted whatever its extension; one that is not an image fails and is reported.
                found.Add((full, OutputName(Path.GetFileName(full))));
            }
        }

        return found;
    }

    /// <summary>Converts every master this shard owns. Failures are counted and reported, never thrown.</summary>
    /// <param name="inputs">Local files and folders, <c>s3://bucket/prefix</c> (every master under it) and http(s) URLs of masters.</param>
    /// <param name="progress">Told of each outcome.</param>
    /// <param name="cancellationToken">Stops the batch.</param>
    public async Task<BatchSummary> RunAsync(IEnumerable<string> inputs, IBatchProgress? progress = null, CancellationToken cancellationToken = default)
    {
        var tally = new BatchTally(progress);
        var jobs = Math.Max(1, Options.Jobs);

        // One master per job; libvips shares the remaining cores inside each (a single huge master gets them all).
        BatchPipeline.ConfigureVips(libvipsThreads: Math.Max(1, Environment.ProcessorCount / jobs));
        using var sink = Storage.OpenOutput(Options.Output, Options.Shard);

        var all = inputs.ToList();
        var masters = Find(all.Where(i => !BatchStorage.IsRemote(i))).Select(m => new Master(m.Master, m.Output, null)).ToList();
        foreach (var remote in all.Where(BatchStorage.IsRemote))
        {
            try
            {
                foreach (var found in await Storage.ListMastersAsync(remote, IsMasterName, cancellationToken).ConfigureAwait(false))
                {
                    masters.Add(new Master(found.Location, OutputName(found.RelativeName), found));
                }
            }
            catch (Exception e) when (e is Amazon.Runtime.AmazonServiceException or Amazon.Runtime.AmazonClientException or HttpRequestException or IOException or InvalidOptionsException or UriFormatException)
            {
                tally.AddWork(1);
                tally.Report(BatchOutcome.Failed, remote, $"Expected to list the masters at {remote} but it failed: {e.Message}");
            }
        }

        masters = [.. masters.Where(m => Options.Shard.Owns(m.Output))];
        tally.AddWork(masters.Count);

        // What exists is learnt in one listing of the output (S3), not one request per master.
        await sink.ScanAsync(string.Empty, cancellationToken).ConfigureAwait(false);
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = jobs, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(masters, parallel, async (m, ct) =>
        {
            bool first;
            lock (claimed)
            {
                first = claimed.Add(m.Output);
            }

            if (!first)
            {
                tally.Report(BatchOutcome.Failed, m.Name, $"Another master already converts to \"{sink.Describe(m.Output)}\"");
                return;
            }

            var (outcome, message) = await ConvertOneAsync(sink, m, ct).ConfigureAwait(false);
            tally.Report(outcome, m.Name, message);
        }).ConfigureAwait(false);

        return tally.Summary();
    }

    /// <summary>The output of a master at a relative path: the same path with the output format's extension.</summary>
    private string OutputName(string relativeMaster) =>
        Path.ChangeExtension(relativeMaster, Options.Format switch { ConvertFormat.Jp2 => ".jp2", ConvertFormat.Htj2k => ".jph", _ => ".tif" }).Replace(Path.DirectorySeparatorChar, '/');

    /// <summary>Converts one master; never modifies it. A remote master is downloaded to a temporary file, deleted after.</summary>
    private async Task<(BatchOutcome Outcome, string? Message)> ConvertOneAsync(IOutputSink sink, Master master, CancellationToken cancellationToken)
    {
        string? temporary = null;
        string? downloaded = null;
        try
        {
            DateTime masterTime;
            string local;
            if (master.Remote is { } remote)
            {
                if (!Options.Force && remote.Modified is { } listed && sink.IsUpToDate(master.Output, listed))
                {
                    return (BatchOutcome.Skipped, null);
                }

                downloaded = sink.NewTemporaryPath(Path.GetExtension(remote.RelativeName));
                masterTime = await Storage.DownloadAsync(remote, downloaded, cancellationToken).ConfigureAwait(false);
                local = downloaded;
            }
            else
            {
                local = master.Name;
                masterTime = File.GetLastWriteTimeUtc(local);
                if (!File.Exists(local))
                {
                    return (BatchOutcome.Failed, "No such file");
                }

                if (string.Equals(Path.GetFullPath(local), sink.Describe(master.Output), StringComparison.Ordinal))
                {
                    return (BatchOutcome.Failed, "The output would replace its master: choose another --out");
                }
            }

            if (!Options.Force && sink.IsUpToDate(master.Output, masterTime))
            {
                return (BatchOutcome.Skipped, null);
            }

            // Judged from the header before libvips opens the master: a bomb is refused, not decoded.
            if (Options.Limits.Refuse(HeaderProbe.Read(local)) is { } reason)
            {
                return (BatchOutcome.Failed, $"Refused: {reason}");
            }

            temporary = sink.NewTemporaryPath(Path.GetExtension(master.Output));
            var note = Save(local, temporary);

            // The output carries its master's time: equal times mean up to date, even for a master restored from backup.
            await sink.CommitAsync(temporary, master.Output, Options.Format == ConvertFormat.Jp2 ? "image/jp2" : "image/tiff", masterTime, cancellationToken).ConfigureAwait(false);
            return (BatchOutcome.Done, note);
        }
        catch (Exception e) when (e is VipsException or IOException or UnauthorizedAccessException or Amazon.Runtime.AmazonServiceException or Amazon.Runtime.AmazonClientException)
        {
            if (temporary is not null && File.Exists(temporary))
            {
                File.Delete(temporary);
            }

            var text = e is VipsException v && v.NativeMessage.Length > 0 ? v.NativeMessage : e.Message;
            return (BatchOutcome.Failed, FirstLine(text));
        }
        finally
        {
            if (downloaded is not null)
            {
                File.Delete(downloaded);
            }
        }
    }

    /// <summary>A master to convert: a local path, or a remote one (then <see cref="Name"/> is its address).</summary>
    private sealed record Master(string Name, string Output, RemoteMaster? Remote);

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
