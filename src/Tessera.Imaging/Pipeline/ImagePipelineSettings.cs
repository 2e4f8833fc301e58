using Tessera.Core.Compliance;
using Tessera.Core.Planning;
using Tessera.Imaging.Caching;
using Tessera.Imaging.Rendering;
using Tessera.Imaging.Sources;
using Tessera.Imaging.Storage;

namespace Tessera.Imaging.Pipeline;

/// <summary>
/// Everything <see cref="PipelineFactory"/> needs to build the shared <see cref="ImagePipeline"/>, typed. The server
/// and the batch commands fill one from their own options, so a seeded tile and the server's answer come from the same
/// construction: same sources, encoder settings and kernel, limits and profile.
/// </summary>
public sealed record ImagePipelineSettings
{
    /// <summary>
    /// The image folder (identifiers are paths relative to it), or a bucket (<c>s3://bucket[/prefix]</c>) or an HTTP
    /// origin (<c>https://host/prefix/</c>) read as <see cref="Remote"/> says. Ignored when <see cref="Sources"/> is set.
    /// </summary>
    public string? Root { get; init; }

    /// <summary>How a bucket or HTTP <see cref="Root"/> is read (S3 client, timeout, revalidation, spool).</summary>
    public RemoteSourceSettings Remote { get; init; } = RemoteSourceSettings.Default;

    /// <summary>
    /// Where identifiers are resolved when they are not files under <see cref="Root"/> (an object store, an HTTP origin).
    /// Null: the folder <see cref="Root"/>.
    /// </summary>
    public ISourceResolver? Sources { get; init; }

    /// <summary>How far a listing of <see cref="Root"/> may walk (depth, entries, time). Ignored when <see cref="Sources"/> is set.</summary>
    public ListingLimits Listing { get; init; } = ListingLimits.Default;

    /// <summary>Encoder settings and the resampling kernel.</summary>
    public RenderOptions Render { get; init; } = RenderOptions.Default;

    /// <summary>The largest image returned.</summary>
    public ServerLimits Limits { get; init; } = ServerLimits.Default;

    /// <summary>What a source may cost to decode, judged from its header (decompression bombs are refused with 413).</summary>
    public SourceLimits SourceLimits { get; init; } = SourceLimits.Default;

    /// <summary>The features, formats and qualities offered.</summary>
    public ServiceProfile Profile { get; init; } = ServiceProfile.Default;

    /// <summary>Renders running at once; 0 means one per processor (at least 2).</summary>
    public int MaxConcurrentRenders { get; init; }

    /// <summary>How long a render may take and how many may wait; unlimited by default (the batch commands).</summary>
    public RenderBudget Budget { get; init; } = RenderBudget.Unlimited;

    /// <summary>The derivative cache, or null for none. Owned by the caller, who disposes it.</summary>
    public IDerivativeCache? Cache { get; init; }

    /// <summary>Every problem with these settings (empty when they are valid); <see cref="PipelineFactory"/> refuses invalid ones.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Sources is null)
        {
            if (string.IsNullOrWhiteSpace(Root))
            {
                errors.Add("Expected a folder for Root (or a resolver for Sources) but received nothing");
            }
            else if (RemoteSources.IsRemote(Root))
            {
                if (RemoteSources.RootProblem(Root, nameof(Root)) is { } problem)
                {
                    errors.Add(problem);
                }

                errors.AddRange(Remote.Validate());
            }
            else if (!Directory.Exists(Root))
            {
                errors.Add($"Expected an existing folder for Root but received \"{Root}\"");
            }
        }

        errors.AddRange(Listing.Validate());
        errors.AddRange(Render.Validate());
        errors.AddRange(Limits.Validate());
        errors.AddRange(Budget.Validate());
        errors.AddRange(SourceLimits.Validate());
        if (MaxConcurrentRenders < 0)
        {
            errors.Add($"Expected 0 (one per processor) or more for MaxConcurrentRenders but received {MaxConcurrentRenders}");
        }

        return errors;
    }
}
