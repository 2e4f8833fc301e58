using Tessera.Core.Iiif;
using Tessera.Imaging.Rendering;

using Tessera.Imaging.Sources;
using Tessera.Imaging.Storage;

namespace Tessera.Imaging.Batch;

/// <summary>Settings of <c>tessera seed</c>.</summary>
public sealed record SeedOptions
{
    /// <summary>
    /// The image folder, or a bucket (<c>s3://bucket/prefix</c>) or HTTP origin (<c>https://host/prefix/</c>) read in
    /// place as the server reads it (pyramids by ranged GETs, other formats through the spool); identifiers are paths
    /// relative to it.
    /// </summary>
    public required string Root { get; init; }

    /// <summary>How a bucket or HTTP <see cref="Root"/> is read (S3 client, timeout, spool). Default: <see cref="RemoteSourceSettings.Default"/>.</summary>
    public RemoteSourceSettings Remote { get; init; } = RemoteSourceSettings.Default;

    /// <summary>Where the static tree is written: <c>OUT/{id}/...</c>.</summary>
    public required string Output { get; init; }

    /// <summary>The Image API version of the tree (paths and info.json). Default 3.</summary>
    public ApiVersion Version { get; init; } = ApiVersion.V3;

    /// <summary>Tile width and height in output pixels. Default 256.</summary>
    public int TileSize { get; init; } = 256;

    /// <summary>Scale factors to seed; null: powers of two until the image fits in one tile.</summary>
    public IReadOnlyList<int>? ScaleFactors { get; init; }

    /// <summary>
    /// The largest <c>sizes</c> entry written (longer side, px). Default 2048: sizes are for thumbnails and previews; a
    /// full-resolution rendering is what the tiles are for, and one 36-megapixel JPEG costs as much as hundreds of tiles.
    /// </summary>
    public int MaxSizeSide { get; init; } = 2048;

    /// <summary>The public URL the tree is served under; info.json's <c>id</c> is <c>{BaseUrl}/{id}</c>.</summary>
    public string BaseUrl { get; init; } = "http://localhost:8000";

    /// <summary>The part of the work this process does.</summary>
    public Shard Shard { get; init; } = Shard.All;

    /// <summary>Files rendered at once. Default: one per core.</summary>
    public int Jobs { get; init; } = Environment.ProcessorCount;

    /// <summary>JPEG quality; must equal the server's for byte-identical tiles. Default: the server's default.</summary>
    public int JpegQuality { get; init; } = RenderOptions.DefaultJpegQuality;

    /// <summary>The resampling kernel; must equal the server's for byte-identical tiles. Default: the server's default.</summary>
    public ResampleKernel Kernel { get; init; } = ResampleKernels.Default;

    /// <summary>The render settings these options give: the server's defaults with this quality and kernel.</summary>
    public RenderOptions Render => new() { JpegQuality = JpegQuality, Kernel = Kernel };

    /// <summary>
    /// What a source may cost to decode (the server's defaults): one over them is reported as failed with the reason,
    /// and the rest go on.
    /// </summary>
    public SourceLimits SourceLimits { get; init; } = SourceLimits.Default;

    /// <summary>
    /// The redaction boxes of an identifier (the server's access rules, <c>--access</c>), drawn on every tile and size
    /// as the server draws them; null: none.
    /// </summary>
    public Func<string, IReadOnlyList<Core.Planning.RedactionBox>>? Redactions { get; init; }

    /// <summary>Every problem with these options (empty when they are valid); <see cref="TileSeeder"/> refuses invalid ones.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        BatchValidation.Root(errors, Root);
        if (RemoteSources.IsRemote(Root))
        {
            errors.AddRange(Remote.Validate());
            if (RemoteSources.RootProblem(Root, nameof(Root)) is { } problem)
            {
                errors.Add(problem);
            }
        }

        BatchValidation.Output(errors, Output);
        if (!Enum.IsDefined(Version))
        {
            errors.Add($"Expected 2 or 3 for Version but received {(int)Version}");
        }

        BatchValidation.Range(errors, TileSize, nameof(TileSize), 1, BatchValidation.MaxTileSize);
        foreach (var factor in ScaleFactors ?? [])
        {
            if (factor < 1 || (factor & (factor - 1)) != 0)
            {
                errors.Add($"Expected powers of two for ScaleFactors but received {factor}");
            }
        }

        BatchValidation.Range(errors, MaxSizeSide, nameof(MaxSizeSide), 1);
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            errors.Add($"Expected an absolute http(s) URL for BaseUrl but received \"{BaseUrl}\"");
        }

        BatchValidation.Shard(errors, Shard);
        errors.AddRange(SourceLimits.Validate());
        BatchValidation.Range(errors, Jobs, nameof(Jobs), 1);
        errors.AddRange(Render.Validate());
        return errors;
    }
}
