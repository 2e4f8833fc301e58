namespace Tessera.Imaging.Storage;

/// <summary>
/// How Tessera talks to an S3-compatible store, beyond what the AWS SDK's standard chain already reads (credentials from
/// <c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c>, profiles or instance roles; the region from <c>AWS_REGION</c>;
/// the endpoint from <c>AWS_ENDPOINT_URL_S3</c> or <c>AWS_ENDPOINT_URL</c>). Bound from the <c>Tessera:S3</c>
/// configuration section (environment <c>Tessera__S3__ForcePathStyle=true</c>); the commands read the same variables
/// through <see cref="FromEnvironment"/>.
/// </summary>
public sealed record S3Settings
{
    /// <summary>The settings with every default: virtual-host addressing, the SDK's endpoint and region, 30 s, 3 retries.</summary>
    public static S3Settings Default { get; } = new();

    /// <summary>
    /// Address buckets as <c>https://host/bucket/key</c> instead of <c>https://bucket.host/key</c>: what MinIO, Ceph,
    /// R2 and s3rver need, since their buckets are not DNS names.
    /// </summary>
    public bool ForcePathStyle { get; init; }

    /// <summary>
    /// The store's endpoint (e.g. <c>http://127.0.0.1:9000</c>), or null for the SDK's own choice
    /// (<c>AWS_ENDPOINT_URL_S3</c>, <c>AWS_ENDPOINT_URL</c>, then AWS by region).
    /// </summary>
    public string? ServiceUrl { get; init; }

    /// <summary>The region to sign for, or null for <c>AWS_REGION</c> / the profile (us-east-1 with a custom endpoint and none set).</summary>
    public string? Region { get; init; }

    /// <summary>
    /// Seconds one S3 call may take, each try, before it fails as a timeout (a 504 for the request that needed it). Kept
    /// short by default: a tile is a small ranged GET, and a stalled store must not hold a request for minutes.
    /// </summary>
    public double TimeoutSeconds { get; init; } = 30;

    /// <summary>
    /// Retries, with the SDK's exponential backoff and jitter, after a throttle, a 5xx or a broken connection. The SDK
    /// retries only what is safe to repeat; Tessera's reads (GET, HEAD, List) all are.
    /// </summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>Every problem with these settings, in the house form, naming the key under <paramref name="section"/>.</summary>
    public IReadOnlyList<string> Problems(string section = "S3")
    {
        var problems = new List<string>();
        if (ServiceUrl is not null && !(Uri.TryCreate(ServiceUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            problems.Add($"Expected an absolute http:// or https:// URL for {section}:ServiceUrl but received \"{ServiceUrl}\"");
        }

        if (TimeoutSeconds is not (> 0 and <= 3600))
        {
            problems.Add($"Expected more than 0 and at most 3600 for {section}:TimeoutSeconds but received {TimeoutSeconds}");
        }

        if (MaxRetries is < 0 or > 20)
        {
            problems.Add($"Expected 0..20 for {section}:MaxRetries but received {MaxRetries}");
        }

        return problems;
    }

    /// <summary>
    /// The settings the environment gives, for the commands (the server binds its configuration instead):
    /// <c>Tessera__S3__ForcePathStyle</c>, <c>Tessera__S3__ServiceUrl</c>, <c>Tessera__S3__Region</c>,
    /// <c>Tessera__S3__TimeoutSeconds</c>, <c>Tessera__S3__MaxRetries</c>. Unparsable values are kept out and named in
    /// the exception, all at once.
    /// </summary>
    /// <exception cref="InvalidOptionsException">A variable is set to something that is not its type, or out of range.</exception>
    public static S3Settings FromEnvironment(Func<string, string?>? read = null)
    {
        read ??= Environment.GetEnvironmentVariable;
        var problems = new List<string>();
        var settings = Default;
        if (read("Tessera__S3__ForcePathStyle") is { Length: > 0 } force)
        {
            if (bool.TryParse(force, out var value))
            {
                settings = settings with { ForcePathStyle = value };
            }
            else
            {
                problems.Add($"Expected true or false for Tessera__S3__ForcePathStyle but received \"{force}\"");
            }
        }

        if (read("Tessera__S3__ServiceUrl") is { Length: > 0 } url)
        {
            settings = settings with { ServiceUrl = url };
        }

        if (read("Tessera__S3__Region") is { Length: > 0 } region)
        {
            settings = settings with { Region = region };
        }

        if (read("Tessera__S3__TimeoutSeconds") is { Length: > 0 } timeout)
        {
            if (double.TryParse(timeout, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
            {
                settings = settings with { TimeoutSeconds = seconds };
            }
            else
            {
                problems.Add($"Expected a number of seconds for Tessera__S3__TimeoutSeconds but received \"{timeout}\"");
            }
        }

        if (read("Tessera__S3__MaxRetries") is { Length: > 0 } retries)
        {
            if (int.TryParse(retries, System.Globalization.CultureInfo.InvariantCulture, out var count))
            {
                settings = settings with { MaxRetries = count };
            }
            else
            {
                problems.Add($"Expected a whole number for Tessera__S3__MaxRetries but received \"{retries}\"");
            }
        }

        problems.AddRange(settings.Problems("Tessera__S3_"));
        return InvalidOptionsException.ThrowIfAny(settings, problems);
    }
}
