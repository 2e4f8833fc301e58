using Tessera.Imaging.Rendering;
using Tessera.Imaging.Sources;

namespace Tessera.Imaging.Batch;

/// <summary>Settings of <c>tessera convert</c>.</summary>
public sealed record ConvertOptions
{
    /// <summary>The folder outputs are written to, mirroring each input folder's layout.</summary>
    public required string Output { get; init; }

    /// <summary>Tile width and height. Default 256 (what <c>tessera seed</c> and viewers ask for by default).</summary>
    public int TileSize { get; init; } = 256;

    /// <summary>
    /// JPEG (or JPEG 2000) quality, 1..100. Default: the server's JPEG quality. For HTJ2K, 100 is lossless and below it
    /// sets the quantisation step (<see cref="Htj2kWriter.QuantisationStep"/>).
    /// </summary>
    public int Quality { get; init; } = RenderOptions.DefaultJpegQuality;

    /// <summary>The output format. Default a tiled pyramidal JPEG TIFF.</summary>
    public ConvertFormat Format { get; init; } = ConvertFormat.Tif;

    /// <summary>Masters converted at once. Default: one per core (libvips then uses one thread per master).</summary>
    public int Jobs { get; init; } = Environment.ProcessorCount;

    /// <summary>The part of the masters this process converts.</summary>
    public Shard Shard { get; init; } = Shard.All;

    /// <summary>Convert even when the output is up to date.</summary>
    public bool Force { get; init; }

    /// <summary>
    /// Keep each master's ICC profile and pixels as they are (for servers that carry the profile to the client). Default
    /// false: 8-bit masters with a non-sRGB RGB profile are transformed to sRGB, and sRGB profiles dropped, so that the
    /// pyramid has no profile and every request can be served from its stored tiles.
    /// </summary>
    public bool KeepProfile { get; init; }

    /// <summary>
    /// What a master may cost to decode, judged from its header before libvips opens it: a master over them is reported
    /// as failed with the reason and the rest go on. Default <see cref="SourceLimits.Convert"/> (higher than the server's).
    /// </summary>
    public SourceLimits Limits { get; init; } = SourceLimits.Convert;

    /// <summary>Every problem with these options (empty when they are valid); <see cref="MasterConverter"/> refuses invalid ones.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        BatchValidation.Output(errors, Output);
        BatchValidation.Range(errors, TileSize, nameof(TileSize), 1, BatchValidation.MaxTileSize);
        BatchValidation.Range(errors, Quality, nameof(Quality), 1, 100);
        if (!Enum.IsDefined(Format))
        {
            errors.Add($"Expected Tif, Jp2 or Htj2k for Format but received {(int)Format}");
        }

        BatchValidation.Range(errors, Jobs, nameof(Jobs), 1);
        BatchValidation.Shard(errors, Shard);
        errors.AddRange(Limits.Validate());
        return errors;
    }
}

/// <summary>What <c>tessera convert</c> writes.</summary>
public enum ConvertFormat
{
    /// <summary>Tiled pyramidal TIFF with JPEG tiles (deflate when the master has alpha).</summary>
    Tif,

    /// <summary>Tiled JPEG 2000.</summary>
    Jp2,

    /// <summary>
    /// Tiled HTJ2K (JPEG 2000 Part 15, High-Throughput) in a <c>.jph</c> file, lossless at quality 100 (see
    /// <see cref="Htj2kWriter"/>).
    /// </summary>
    Htj2k,
}
