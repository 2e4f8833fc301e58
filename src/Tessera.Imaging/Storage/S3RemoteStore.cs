using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;

namespace Tessera.Imaging.Storage;

/// <summary>
/// Objects under an <see cref="S3Location"/>, read with the AWS SDK: HEAD (GetObjectMetadata), ranged GETs,
/// ListObjectsV2 page by page. The SDK retries throttles, 5xx and broken connections with backoff (all of these are
/// reads); every call is also bounded by <c>timeout</c> as a whole.
/// </summary>
public sealed class S3RemoteStore : IRemoteStore, IDisposable
{
    private readonly IAmazonS3 _client;
    private readonly bool _ownsClient;
    private readonly TimeSpan _timeout;

    /// <param name="client">The client (from <see cref="S3ClientFactory"/>).</param>
    /// <param name="location">The bucket and prefix that keys are relative to.</param>
    /// <param name="timeout">The most one call (with its retries) may take.</param>
    /// <param name="ownsClient">Whether disposing this store disposes the client.</param>
    public S3RemoteStore(IAmazonS3 client, S3Location location, TimeSpan timeout, bool ownsClient = false)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        Location = location ?? throw new ArgumentNullException(nameof(location));
        _timeout = timeout;
        _ownsClient = ownsClient;
    }

    /// <summary>Where keys are read.</summary>
    public S3Location Location { get; }

    public bool CanList => true;

    /// <summary>Keys asked for per ListObjectsV2 page (1..1000; S3's own maximum is the default).</summary>
    public int PageSize { get; init; } = 1000;

    public string Describe(string key) => $"s3://{Location.Bucket}/{Location.Key(key)}";

    public Task<RemoteObjectInfo> HeadAsync(string key, CancellationToken cancellationToken) =>
        RemoteCalls.RunAsync(
            _timeout,
            $"HEAD {Describe(key)}",
            async token =>
            {
                var meta = await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Location.Bucket, Key = Location.Key(key) }, token).ConfigureAwait(false);
                return new RemoteObjectInfo(key, meta.ContentLength, meta.ETag, meta.LastModified is { } modified ? new DateTimeOffset(modified.ToUniversalTime(), TimeSpan.Zero) : null);
            },
            cancellationToken);

    public Task ReadRangeAsync(RemoteObjectInfo info, long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(info);
        return RemoteCalls.RunAsync(
            _timeout,
            $"GET {Describe(info.Key)} bytes {offset}-{offset + buffer.Length - 1}",
            async token =>
            {
                var request = new GetObjectRequest { BucketName = Location.Bucket, Key = Location.Key(info.Key), ByteRange = new ByteRange(offset, offset + buffer.Length - 1) };
                using var response = await _client.GetObjectAsync(request, token).ConfigureAwait(false);
                await response.ResponseStream.ReadExactlyAsync(buffer, token).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    public Task DownloadAsync(RemoteObjectInfo info, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(info);
        return RemoteCalls.RunAsync(
            _timeout,
            $"GET {Describe(info.Key)}",
            async token =>
            {
                using var response = await _client.GetObjectAsync(new GetObjectRequest { BucketName = Location.Bucket, Key = Location.Key(info.Key) }, token).ConfigureAwait(false);
                await response.ResponseStream.CopyToAsync(destination, token).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    public async IAsyncEnumerable<string> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = Location.Bucket, Prefix = Location.ListPrefix, MaxKeys = Math.Clamp(PageSize, 1, S3Listing.MaxPageSize) };
        var objects = S3Listing.ObjectsAsync(
            request,
            (page, token) => RemoteCalls.RunAsync(_timeout, $"LIST {Location}", bounded => _client.ListObjectsV2Async(page, bounded), token),
            cancellationToken);
        await foreach (var entry in objects.ConfigureAwait(false))
        {
            if (Location.Relative(entry.Key) is { } relative && !relative.EndsWith('/'))
            {
                yield return relative;
            }
        }
    }

    public async Task<string?> ProblemAsync(CancellationToken cancellationToken)
    {
        try
        {
            // HeadBucket: one request, the ListBucket permission a listing needs anyway; no continuation token to make
            // (a List of one key makes one, which some S3 imitations fail at).
            await RemoteCalls.RunAsync(
                _timeout,
                $"HEAD bucket {Location.Bucket}",
                token => _client.HeadBucketAsync(new HeadBucketRequest { BucketName = Location.Bucket }, token),
                cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (RemoteStoreException e)
        {
            return $"Expected a readable bucket at {Location} but {e.Message}";
        }
    }

    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }
}
