using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Tessera.Imaging.Storage;
using S3Location = Tessera.Imaging.Storage.S3Location;

namespace Tessera.Imaging.Batch;

/// <summary>
/// Where batch work reads masters from and writes outputs to, beside local folders: S3 buckets
/// (<c>s3://bucket/prefix</c>) both ways, and HTTP(S) URLs for reading. Masters elsewhere are downloaded whole to a
/// temporary file, one per running job, and deleted after use: simple and enough for batch work (the server reads
/// pyramids in place instead).
/// </summary>
public sealed class BatchStorage
{
    private readonly Lazy<IAmazonS3> _s3;
    private readonly HttpClient _http;

    /// <param name="s3">Makes the S3 client (called once, when first needed).</param>
    /// <param name="http">The HTTP client for https:// masters (null: a shared one).</param>
    public BatchStorage(Func<IAmazonS3> s3, HttpClient? http = null)
    {
        ArgumentNullException.ThrowIfNull(s3);
        _s3 = new Lazy<IAmazonS3>(s3);
        _http = http ?? SharedHttp;
    }

    /// <summary>Storage reached with the AWS SDK's standard settings (environment, profile, instance role).</summary>
    public static BatchStorage Default { get; } = new(() => S3ClientFactory.Create(S3Settings.FromEnvironment()));

    private static readonly HttpClient SharedHttp = new() { Timeout = TimeSpan.FromMinutes(30) };

    /// <summary>Whether an input or root is not a local path: <c>s3://</c>, <c>http://</c> or <c>https://</c>.</summary>
    public static bool IsRemote(string location) =>
        OutputPaths.IsS3(location)
        || location.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
        || location.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Files at least this large go to S3 in parts (<see cref="S3OutputSink.MultipartThreshold"/>). Default 16 MiB.</summary>
    public long MultipartThreshold { get; init; } = 16L << 20;

    /// <summary>Keys asked for per listing page (1..1000; S3's own maximum is the default): smaller in tests, to see paging.</summary>
    public int ListPageSize { get; init; } = S3Listing.MaxPageSize;

    /// <summary>The S3 client (made on first use).</summary>
    public IAmazonS3 S3 => _s3.Value;

    /// <summary>The sink for <c>--out</c>: an S3 prefix, or a local folder.</summary>
    /// <exception cref="ArgumentException">An <c>s3://</c> location without a bucket.</exception>
    public IOutputSink OpenOutput(string output, Shard shard)
    {
        if (!OutputPaths.IsS3(output))
        {
            return new FolderOutputSink(output, shard.Tag);
        }

        return new S3OutputSink(S3, S3Location.Parse(output, "--out")) { MultipartThreshold = MultipartThreshold, ListPageSize = ListPageSize };
    }

    /// <summary>
    /// The masters at a remote location: every object under an <c>s3://</c> prefix that <paramref name="isMaster"/>
    /// accepts (by key), each named by its key relative to the prefix (the prefix itself when it names one object:
    /// its last segment), in key order; or the one file at an http(s) URL, named by its last segment.
    /// </summary>
    public async Task<IReadOnlyList<RemoteMaster>> ListMastersAsync(string location, Func<string, bool> isMaster, CancellationToken cancellationToken = default)
    {
        if (!OutputPaths.IsS3(location))
        {
            var uri = new Uri(location);
            var name = Uri.UnescapeDataString(uri.AbsolutePath.TrimEnd('/').Split('/')[^1]);
            return [new RemoteMaster(location, name, null)];
        }

        var root = S3Location.Parse(location, nameof(location));
        var (bucket, prefix) = (root.Bucket, root.Prefix);
        var found = new List<RemoteMaster>();
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix, MaxKeys = Math.Clamp(ListPageSize, 1, S3Listing.MaxPageSize) };
        await foreach (var item in S3Listing.ObjectsAsync(request, S3.ListObjectsV2Async, cancellationToken).ConfigureAwait(false))
        {
            var relative = item.Key == prefix ? item.Key.Split('/')[^1] : item.Key[prefix.Length..].TrimStart('/');
            if (relative.Length > 0 && !item.Key.EndsWith('/') && (item.Key == prefix || prefix.Length == 0 || prefix.EndsWith('/') || item.Key[prefix.Length] == '/') && isMaster(item.Key))
            {
                found.Add(new RemoteMaster($"s3://{bucket}/{item.Key}", relative, item.LastModified?.ToUniversalTime()));
            }
        }

        return found;
    }

    /// <summary>Downloads a master to <paramref name="destination"/> (whole, or not at all) and returns when it was last modified.</summary>
    /// <exception cref="IOException">The download failed or the master is missing; the message says which.</exception>
    public async Task<DateTime> DownloadAsync(RemoteMaster master, string destination, CancellationToken cancellationToken = default)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            if (OutputPaths.IsS3(master.Location))
            {
                var (bucket, key) = Object(master.Location, nameof(master));
                using var response = await S3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key }, cancellationToken).ConfigureAwait(false);
                await using (var file = new FileStream(destination, FileMode.Create, FileAccess.Write, FileShare.None))
                {
                    await response.ResponseStream.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                }

                return response.LastModified?.ToUniversalTime() ?? master.Modified ?? DateTime.UnixEpoch;
            }

            using var get = await _http.GetAsync(master.Location, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!get.IsSuccessStatusCode)
            {
                throw new IOException($"Expected the master at {master.Location} but the server answered {(int)get.StatusCode} {get.ReasonPhrase}");
            }

            await using (var file = new FileStream(destination, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                await get.Content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            }

            return get.Content.Headers.LastModified?.UtcDateTime ?? DateTime.UnixEpoch;
        }
        catch (Exception e) when (e is AmazonS3Exception or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            File.Delete(destination);
            var status = e is AmazonS3Exception { StatusCode: HttpStatusCode.NotFound } ? "no such object" : e.Message;
            throw new IOException($"Expected to download the master {master.Location} but it failed: {status}", e);
        }
        catch
        {
            File.Delete(destination);
            throw;
        }
    }

    /// <summary>Writes one object (a report) whole with a PUT.</summary>
    public async Task PutAsync(string location, byte[] data, string contentType, CancellationToken cancellationToken = default)
    {
        var (bucket, key) = Object(location, nameof(location));
        await S3.PutObjectAsync(
            new PutObjectRequest { BucketName = bucket, Key = key, InputStream = new MemoryStream(data, writable: false), ContentType = contentType, AutoCloseStream = true, UseChunkEncoding = false },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The bucket and prefix of an <c>s3://</c> root.</summary>
    /// <exception cref="InvalidOptionsException">Not an S3 location.</exception>
    public S3Location Root(string location) => S3Location.Parse(location, "--root");

    /// <summary>The bucket and key of one object, <c>s3://bucket/key</c>.</summary>
    /// <exception cref="InvalidOptionsException">Not an S3 location, or no key.</exception>
    private static (string Bucket, string Key) Object(string location, string parameter)
    {
        var parsed = S3Location.Parse(location, parameter);
        if (parsed.Prefix.Length == 0)
        {
            throw new InvalidOptionsException(nameof(S3Location), [$"Expected s3://bucket/key for {parameter} but received \"{location}\""], parameter);
        }

        return (parsed.Bucket, parsed.Prefix);
    }
}
