using Tessera.Imaging;
using Tessera.Imaging.Caching;
using Tessera.Imaging.Pipeline;

namespace Tessera.Server.Operations;

/// <summary>
/// Whether this server can do its work now, for <c>/readyz</c> (Kubernetes' readiness probe; <c>/healthz</c> only says
/// the process answers): the image root can be read (one directory read through the pipeline's resolver, never a
/// walk), libvips runs (a 1×1 image made and averaged), and the disk cache's folder takes a small file (written, then
/// deleted; a full or read-only disk fails). Answers are kept for <see cref="Freshness"/>, so probes, however many,
/// touch the disk at most once a second.
/// </summary>
public sealed class Readiness(ImagePipeline pipeline, DiskDerivativeCache? diskCache, TimeProvider? time = null)
{
    /// <summary>How long a result is reused.</summary>
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(1);

    /// <summary>Bytes written by the disk cache probe: a few blocks, so a nearly full disk fails too.</summary>
    public const int ProbeBytes = 16 * 1024;

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _lock = new();
    private (ReadinessReport Report, long At)? _last;

    /// <summary>The current answer: computed at most once per <see cref="Freshness"/>, concurrent callers share it.</summary>
    public ReadinessReport Check()
    {
        lock (_lock)
        {
            if (_last is { } last && _time.GetElapsedTime(last.At) < Freshness)
            {
                return last.Report;
            }

            var report = new ReadinessReport([("root", RootProblem()), ("libvips", VipsProblem()), ("disk-cache", DiskCacheProblem())]);
            _last = (report, _time.GetTimestamp());
            return report;
        }
    }

    private string? RootProblem()
    {
        try
        {
            return pipeline.Catalog.Resolver.RootProblem();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }

    private static string? VipsProblem() => ImagingRuntime.Problem();

    private string? DiskCacheProblem()
    {
        if (diskCache is null)
        {
            return null;
        }

        // The .tmp ending is the cache's own for unfinished writes: a probe left by a crash is swept at the next start.
        var probe = Path.Combine(diskCache.Root, $"readyz-{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.WriteThrough))
            {
                file.Write(new byte[ProbeBytes]);
            }

            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(probe);
            }
            catch (Exception again) when (again is IOException or UnauthorizedAccessException)
            {
                // The folder itself is gone or refused: nothing was left in it.
            }

            return $"Expected a writable disk cache folder at \"{diskCache.Root}\" but {e.Message}";
        }
    }
}
