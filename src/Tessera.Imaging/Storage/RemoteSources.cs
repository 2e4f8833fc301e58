using System.Net;
using Amazon.Runtime;
using Tessera.Imaging.Sources;

namespace Tessera.Imaging.Storage;

/// <summary>
/// Where a root that is not a folder becomes a source resolver: <c>s3://bucket[/prefix]</c> reads a bucket through
/// the AWS SDK (<see cref="S3ClientFactory"/>), <c>http(s)://host/prefix/</c> an HTTP origin. One spool per
/// spool folder is shared by every resolver made in the process.
/// </summary>
public static class RemoteSources
{
    private static readonly Lock SpoolsLock = new();
    private static readonly Dictionary<string, RemoteSpool> Spools = new(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="root"/> names a bucket or an HTTP origin rather than a folder.</summary>
    public static bool IsRemote(string? root) => S3Location.IsS3(root) || HttpRemoteStore.IsHttp(root);

    /// <summary>Why <paramref name="root"/> is not a usable remote root, or null; names <paramref name="parameter"/>.</summary>
    public static string? RootProblem(string root, string parameter)
    {
        if (S3Location.IsS3(root))
        {
            return S3Location.TryParse(root, parameter, out _, out var problem) ? null : problem;
        }

        return Uri.TryCreate(root, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment)
            ? null
            : $"Expected an absolute http(s)://host/prefix/ URL without query or fragment for {parameter} but received \"{root}\"";
    }

    /// <summary>The resolver for <paramref name="root"/>.</summary>
    /// <param name="root">An <c>s3://</c> or <c>http(s)://</c> root.</param>
    /// <param name="settings">Client, timeout, revalidation and spool settings.</param>
    /// <param name="listing">How far a bucket's listing may go.</param>
    /// <param name="credentials">S3 credentials instead of the SDK's standard chain (tests), or null.</param>
    /// <exception cref="InvalidOptionsException">The root or the settings are invalid.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2000", Justification = "Owner: the resolver, which lives as long as the pipeline (the process); its client's connections close with it.")]
    public static RemoteSourceResolver Create(string root, RemoteSourceSettings settings, ListingLimits? listing = null, AWSCredentials? credentials = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = new List<string>(settings.Validate());
        if (RootProblem(root, "Root") is { } rootProblem)
        {
            problems.Add(rootProblem);
        }

        InvalidOptionsException.ThrowIfAny(settings, problems, nameof(settings));
        IRemoteStore store = S3Location.IsS3(root)
            ? new S3RemoteStore(S3ClientFactory.Create(settings.S3 with { TimeoutSeconds = Math.Min(settings.S3.TimeoutSeconds, settings.RemoteTimeoutSeconds) }, credentials), S3Location.Parse(root, "Root"), settings.RemoteTimeout, ownsClient: true)
            : new HttpRemoteStore(SharedHttp, new Uri(root), settings.RemoteTimeout);
        return new RemoteSourceResolver(store, SpoolFor(settings), settings) { Listing = listing ?? ListingLimits.Default };
    }

    /// <summary>The spool of <paramref name="settings"/>' folder, made (and cleaned) the first time it is asked for.</summary>
    public static RemoteSpool SpoolFor(RemoteSourceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var path = Path.GetFullPath(settings.SpoolPath);
        lock (SpoolsLock)
        {
            if (!Spools.TryGetValue(path, out var spool))
            {
                spool = new RemoteSpool(path, (long)settings.SpoolMegabytes * 1024 * 1024);
                Spools[path] = spool;
            }

            return spool;
        }
    }

    // One client for every origin: pooled connections, recycled so DNS changes are seen; each call has its own timeout.
    private static readonly HttpClient SharedHttp = new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = DecompressionMethods.None,
        ConnectTimeout = TimeSpan.FromSeconds(10),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };
}
