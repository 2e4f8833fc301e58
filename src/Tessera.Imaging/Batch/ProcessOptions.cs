using Tessera.Imaging.Processing;
using Tessera.Imaging.Rendering;

using Tessera.Imaging.Sources;

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

    /// <summary>JPEG quality of the derivatives. Default: the server's default.</summary>
    public int JpegQuality { get; init; } = RenderOptions.DefaultJpegQuality;

    /// <summary>The resampling kernel of the derivatives. Default: the server's default.</summary>
    public ResampleKernel Kernel { get; init; } = ResampleKernels.Default;

    /// <summary>The render settings these options give: the server's defaults with this quality and kernel.</summary>
    public RenderOptions Render => new() { JpegQuality = JpegQuality, Kernel = Kernel };

    /// <summary>Colours in each palette. Default 5.</summary>
    public int PaletteSize { get; init; } = 5;

    /// <summary>
    /// What a source may cost to decode (the server's defaults): one over them is reported as failed with the reason,
    /// and the rest go on.
    /// </summary>
    public SourceLimits SourceLimits { get; init; } = SourceLimits.Default;

    /// <summary>Every problem with these options (empty when they are valid); <see cref="DerivativeProcessor"/> refuses invalid ones.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        BatchValidation.Root(errors, Root);
        BatchValidation.Output(errors, Output);
        if (Instructions is null)
        {
            errors.Add("Expected instructions (label to instruction) for Instructions but received nothing");
        }

        if (string.IsNullOrWhiteSpace(UriTemplate))
        {
            errors.Add("Expected a path template for UriTemplate (e.g. \"{id}/{label}.{format}\") but received nothing");
        }

        BatchValidation.Range(errors, Jobs, nameof(Jobs), 1);
        BatchValidation.Shard(errors, Shard);
        errors.AddRange(SourceLimits.Validate());
        BatchValidation.Range(errors, PaletteSize, nameof(PaletteSize), 1);
        errors.AddRange(Render.Validate());
        return errors;
    }
}
