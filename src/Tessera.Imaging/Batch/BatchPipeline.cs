using Tessera.Core.Compliance;
using Tessera.Core.Planning;
using Tessera.Imaging.Pipeline;
using Tessera.Imaging.Rendering;
using Tessera.Imaging.Sources;

namespace Tessera.Imaging.Batch;

/// <summary>
/// Builds the shared <see cref="ImagePipeline"/> for batch work exactly as the server builds it (same loaders, same
/// encoder settings, same limits and profile), so a seeded tile is the same bytes as the server's answer for its URL.
/// </summary>
public static class BatchPipeline
{
    /// <summary>The JPEG quality the server renders with unless configured otherwise.</summary>
    public const int DefaultJpegQuality = 90;

    /// <summary>A pipeline over the images under <paramref name="root"/>.</summary>
    /// <param name="root">The image folder (identifiers are paths relative to it).</param>
    /// <param name="jobs">Renders at once.</param>
    /// <param name="jpegQuality">Must equal the server's <c>JpegQuality</c> for seeded tiles to match it byte for byte.</param>
    /// <param name="limits">The server's limits (default: the server's defaults).</param>
    public static ImagePipeline Create(string root, int jobs, int jpegQuality = DefaultJpegQuality, ServerLimits? limits = null)
    {
        ConfigureVips(libvipsThreads: 1);
        var catalog = new SourceCatalog(new FileSystemSourceResolver(root));
        var renderer = new ImageRenderer(new RenderOptions { JpegQuality = jpegQuality });
        return new ImagePipeline(catalog, renderer, limits ?? ServerLimits.Default, ServiceProfile.Default, Math.Max(1, jobs));
    }

    /// <summary>
    /// The libvips settings the server uses (see <see cref="ImagingRuntime"/>). Batch commands run one item per core,
    /// so libvips' own threads per operation are set by the caller (1 when items run in parallel).
    /// </summary>
    public static void ConfigureVips(int libvipsThreads) => ImagingRuntime.Start(libvipsThreads);
}
