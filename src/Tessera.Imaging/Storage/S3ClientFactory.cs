using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace Tessera.Imaging.Storage;

/// <summary>
/// Makes the <see cref="AmazonS3Client"/> every S3 part of Tessera uses (sources, the cache tier, batch output), so they
/// all agree on addressing, timeouts and retries. Credentials come from the SDK's standard chain (environment, profiles,
/// container and instance roles) unless the caller gives some (tests against a local store do).
/// </summary>
public static class S3ClientFactory
{
    /// <summary>
    /// A client for <paramref name="settings"/>. The endpoint is <see cref="S3Settings.ServiceUrl"/>, else
    /// <c>AWS_ENDPOINT_URL_S3</c>, else <c>AWS_ENDPOINT_URL</c>, else AWS for the region. With a custom endpoint and no
    /// region anywhere, signs for us-east-1 (what S3-compatible stores expect). Checksums are sent and checked only when
    /// an operation requires them: stores that imitate S3 (s3rver, older MinIO and Ceph) refuse the SDK's newer default
    /// trailing checksums. For the same reason, uploads should set <c>UseChunkEncoding = false</c> on
    /// <c>PutObjectRequest</c>/<c>UploadPartRequest</c>: s3rver stores an aws-chunked body as it came, signatures and all.
    /// </summary>
    /// <param name="settings">Addressing, endpoint, timeout and retry settings.</param>
    /// <param name="credentials">Credentials to use instead of the standard chain, or null for the chain.</param>
    /// <param name="environment">Reads an environment variable (tests give their own); null for the process's.</param>
    /// <exception cref="InvalidOptionsException"><paramref name="settings"/> has problems.</exception>
    public static AmazonS3Client Create(S3Settings settings, AWSCredentials? credentials = null, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        InvalidOptionsException.ThrowIfAny(settings, settings.Problems(), nameof(settings));
        var config = CreateConfig(settings, environment);
        return credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(credentials, config);
    }

    /// <summary>The client configuration <see cref="Create"/> uses, exposed so that tests can check what it chose.</summary>
    public static AmazonS3Config CreateConfig(S3Settings settings, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        environment ??= Environment.GetEnvironmentVariable;
        var endpoint = NonEmpty(settings.ServiceUrl) ?? NonEmpty(environment("AWS_ENDPOINT_URL_S3")) ?? NonEmpty(environment("AWS_ENDPOINT_URL"));
        var region = NonEmpty(settings.Region) ?? NonEmpty(environment("AWS_REGION")) ?? NonEmpty(environment("AWS_DEFAULT_REGION"));
        var timeout = TimeSpan.FromSeconds(settings.TimeoutSeconds);
        var config = new AmazonS3Config
        {
            ForcePathStyle = settings.ForcePathStyle,
            Timeout = timeout,
            // The connect phase gets the same bound: an unreachable store fails fast instead of hanging a request.
            ConnectTimeout = timeout,
            MaxErrorRetry = settings.MaxRetries,
            RetryMode = RequestRetryMode.Standard,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (endpoint is not null)
        {
            config.ServiceURL = endpoint;
            config.AuthenticationRegion = region ?? "us-east-1";
        }
        else if (region is not null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        return config;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
