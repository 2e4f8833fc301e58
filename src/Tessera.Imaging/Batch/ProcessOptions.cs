using Tessera.Imaging.Processing;

namespace Tessera.Imaging.Batch;

/// <summary>Settings of <c>tessera process</c>.</summary>
public sealed record ProcessOptions
{
    /// <summary>The default output layout: each derivative at its IIIF path.</summary>
    public const string IiifPathTemplate = "{id}/{region}/{size}/{rotation}/{quality}.{format}";

    /// <summary>The image folder; identifiers are paths relative to it.</summary>
    public required string Root { get; init; }

    /// <summary>Where derivatives are written.</summary>
    public required string Output { get; init; }

    /// <summary>Labels to instructions.</summary>
    public required IReadOnlyDictionary<string, Instruction> Instructions { get; init; }

    /// <summary>
    /// Where each derivative goes under <see cref="Output"/>: <c>{id}</c>, <c>{label}</c>, <c>{region}</c>, <c>{size}</c>,
    /// <c>{rotation}</c>, <c>{quality}</c> and <c>{format}</c> are replaced. Default: the IIIF path.
    /// </summary>
    public string UriTemplate { get; init; } = IiifPathTemplate;

    /// <summary>Derivatives rendered at once. Default: one per core.</summary>
    public int Jobs { get; init; } = Environment.ProcessorCount;

    /// <summary>The part of the identifiers this process does (a report needs all of an image's derivatives).</summary>
    public Shard Shard { get; init; } = Shard.All;

    /// <summary>Render again even when a derivative exists.</summary>
    public bool Force { get; init; }

    /// <summary>JPEG quality of the derivatives. Default 90.</summary>
    public int JpegQuality { get; init; } = BatchPipeline.DefaultJpegQuality;

    /// <summary>Colours in each palette. Default 5.</summary>
    public int PaletteSize { get; init; } = 5;
}
