using Tessera.Imaging.Rendering;
using Tessera.Imaging.Sources;
using Tessera.Imaging.Storage;

namespace Tessera.Imaging.Pipeline;

/// <summary>
/// The one place the shared <see cref="ImagePipeline"/> is built, for the server and the batch commands alike (the
/// design's rule: a seeded static tile and the server's tile for the same URL are the same bytes), and the one place a
/// root (a folder, a bucket, an HTTP origin) becomes a source resolver.
/// </summary>
public static class PipelineFactory
{
    /// <summary>
    /// Starts libvips for pipeline work (one thread per operation: requests and batch items already run one per core)
    /// and builds the pipeline.
    /// </summary>
    /// <exception cref="InvalidOptionsException">The settings are invalid; the message lists every problem.</exception>
    public static ImagePipeline Create(ImagePipelineSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        InvalidOptionsException.ThrowIfAny(settings, settings.Validate(), nameof(settings));
        ImagingRuntime.Start(threadsPerOperation: 1);
        var catalog = new SourceCatalog(CreateSources(settings), limits: settings.SourceLimits);
        var renderer = new ImageRenderer(settings.Render);
        return new ImagePipeline(catalog, renderer, settings.Limits, settings.Profile, settings.MaxConcurrentRenders, settings.Cache, settings.Budget);
    }

    /// <summary>
    /// The sources the settings name: <see cref="ImagePipelineSettings.Sources"/> when set, else the files under
    /// <see cref="ImagePipelineSettings.Root"/>. For listing identifiers before a pipeline is needed.
    /// </summary>
    /// <exception cref="InvalidOptionsException">Neither is usable.</exception>
    public static ISourceResolver CreateSources(ImagePipelineSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Sources is { } sources)
        {
            return sources;
        }

        if (RemoteSources.IsRemote(settings.Root))
        {
            InvalidOptionsException.ThrowIfAny(settings, settings.Validate(), nameof(settings));
            return RemoteSources.Create(settings.Root!, settings.Remote, settings.Listing);
        }

        if (string.IsNullOrWhiteSpace(settings.Root) || !Directory.Exists(settings.Root))
        {
            InvalidOptionsException.ThrowIfAny(settings, settings.Validate(), nameof(settings));
        }

        return new FileSystemSourceResolver(settings.Root!) { Listing = settings.Listing };
    }
}
