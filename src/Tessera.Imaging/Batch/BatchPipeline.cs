using Tessera.Core.Planning;
using Tessera.Imaging.Pipeline;
using Tessera.Imaging.Rendering;
using Tessera.Imaging.Sources;
using Tessera.Imaging.Storage;

namespace Tessera.Imaging.Batch;

/// <summary>
/// Shorthands for batch work over a folder, a bucket or an HTTP origin: the pipeline comes from <see cref="PipelineFactory"/>, exactly as the
/// server's does, so a seeded tile is the same bytes as the server's answer for its URL when the render settings match.
/// </summary>
public static class BatchPipeline
{
    /// <summary>A pipeline over the images under <paramref name="root"/>.</summary>
    /// <param name="root">The image folder (identifiers are paths relative to it), <c>s3://bucket/prefix</c> or <c>https://host/prefix/</c>.</param>
    /// <param name="jobs">Renders at once.</param>
    /// <param name="render">Must equal the server's (JPEG quality, kernel) for seeded tiles to match it byte for byte. Default: the server's defaults.</param>
    /// <param name="limits">The server's limits (default: the server's defaults).</param>
    /// <param name="sourceLimits">What a source may cost to decode (default: the server's defaults).</param>
    /// <param name="remote">How a remote <paramref name="root"/> is read (default: <see cref="RemoteSourceSettings.Default"/>).</param>
    /// <exception cref="InvalidOptionsException">The settings are invalid.</exception>
    public static ImagePipeline Create(string root, int jobs, RenderOptions? render = null, ServerLimits? limits = null, SourceLimits? sourceLimits = null, RemoteSourceSettings? remote = null) =>
        PipelineFactory.Create(new ImagePipelineSettings
        {
            Root = root,
            Remote = remote ?? RemoteSourceSettings.Default,
            Listing = ListingLimits.Batch,
            Render = render ?? RenderOptions.Default,
            Limits = limits ?? ServerLimits.Default,
            SourceLimits = sourceLimits ?? SourceLimits.Default,
            MaxConcurrentRenders = Math.Max(1, jobs),
        });

    /// <summary>
    /// The libvips settings the server uses (see <see cref="ImagingRuntime"/>). Batch commands run one item per core,
    /// so libvips' own threads per operation are set by the caller (1 when items run in parallel).
    /// </summary>
    public static void ConfigureVips(int libvipsThreads) => ImagingRuntime.Start(libvipsThreads);
}
