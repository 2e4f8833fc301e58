namespace Tessera.Imaging.Storage;

/// <summary>
/// How sources in a bucket or behind an HTTP origin are read: the S3 client's settings, the timeout of each remote
/// call, how long a HEAD's answer is trusted, and the local spool for what is not read in place.
/// </summary>
public sealed record RemoteSourceSettings
{
    /// <summary>The defaults: a HEAD per request, 30 s calls, a 1 GiB spool under the system's temp folder.</summary>
    public static RemoteSourceSettings Default { get; } = new();

    /// <summary>The S3 client's settings (path style, endpoint, region, retries).</summary>
    public S3Settings S3 { get; init; } = S3Settings.Default;

    /// <summary>
    /// Seconds one remote call (HEAD, ranged GET, a page of a listing, a whole download), retries included, may take:
    /// past it the request that needed it is answered 504.
    /// </summary>
    public double RemoteTimeoutSeconds { get; init; } = 30;

    /// <summary>
    /// Seconds an object's HEAD (its ETag, so its version) is trusted before it is asked again. 0: a HEAD per request,
    /// so a changed object is served anew at once; more saves a round trip per request at the cost of serving the old
    /// version for up to that long.
    /// </summary>
    public double RevalidateSeconds { get; init; }

    /// <summary>The spool folder; null for <c>tessera-spool</c> under the system's temp folder.</summary>
    public string? SpoolDirectory { get; init; }

    /// <summary>The most MiB the spool keeps (least recently used objects go first); an object larger than this is refused with 413.</summary>
    public int SpoolMegabytes { get; init; } = 1024;

    /// <summary>The remote timeout as a span.</summary>
    public TimeSpan RemoteTimeout => TimeSpan.FromSeconds(RemoteTimeoutSeconds);

    /// <summary>The spool folder used: <see cref="SpoolDirectory"/> or its default.</summary>
    public string SpoolPath => SpoolDirectory is { Length: > 0 } directory ? directory : Path.Combine(Path.GetTempPath(), "tessera-spool");

    /// <summary>Every problem, in the house form.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>(S3.Problems());
        if (RemoteTimeoutSeconds is not (> 0 and <= 3600))
        {
            problems.Add($"Expected more than 0 and at most 3600 for RemoteTimeoutSeconds but received {RemoteTimeoutSeconds}");
        }

        if (RevalidateSeconds is < 0 or > 86_400)
        {
            problems.Add($"Expected 0..86400 for RevalidateSeconds but received {RevalidateSeconds}");
        }

        if (SpoolMegabytes is < 1 or > 1_048_576)
        {
            problems.Add($"Expected 1..1048576 for SpoolMegabytes but received {SpoolMegabytes}");
        }

        return problems;
    }
}
