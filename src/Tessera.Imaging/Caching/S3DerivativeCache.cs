using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Amazon.S3;
using Amazon.S3.Model;
using Tessera.Imaging.Rendering;
using Tessera.Imaging.Storage;
using S3Location = Tessera.Imaging.Storage.S3Location;

namespace Tessera.Imaging.Caching;

/// <summary>
/// Derivatives in an S3 bucket, shared by every server that names the same <c>s3://bucket/prefix</c>: the tier after
/// memory and disk. Layout: <c>{prefix}/{hash(id):2}/{hash(id)}/{hash(key)}</c>, one object per derivative with its
/// media type as <c>Content-Type</c> and its size, ETag and the SHA-256 of its key and bytes as metadata, so a purge is
/// the listing and deletion of one prefix, seen by every server at once.
/// </summary>
/// <remarks>
/// The store is another machine: it fails, slows down and refuses. A failure (store down, timeout, 403, a damaged
/// object) is a miss, reported through the warning callback at most once per <see cref="WarningInterval"/>, never an
/// error; after one, the tier is left alone for <see cref="RetryInterval"/>, so a dead store costs requests nothing.
/// Reads wait at most <see cref="Timeout"/>. Writes never delay a response: they are queued (at most
/// <see cref="PendingWrites"/>; a full queue drops the write) and sent by a few background uploads.
/// </remarks>
public sealed class S3DerivativeCache : IDerivativeCache, IDisposable
{
    /// <summary>Writes that may wait for the store at once; more are dropped (the image is rendered again next time).</summary>
    public const int PendingWrites = 64;

    /// <summary>Uploads running at once.</summary>
    public const int ConcurrentUploads = 4;

    private const string KeyHashHeader = "tessera-key-sha256";
    private const string DataHashHeader = "tessera-sha256";
    private const string WidthHeader = "tessera-width";
    private const string HeightHeader = "tessera-height";
    private const string ETagHeader = "tessera-etag";

    private readonly IAmazonS3 _client;
    private readonly Action<string>? _warn;
    private readonly Channel<Write> _writes;
    private readonly Task _writer;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, long> _purgedAt = new(StringComparer.Ordinal);
    private readonly WarningThrottle _warnings = new();
    private long _unavailableUntil;
    private int _pending;
    private long _hits;
    private long _misses;
    private long _failures;

    /// <param name="client">The S3 client (endpoint, credentials and path style already set).</param>
    /// <param name="location">The bucket and the prefix under which entries are kept.</param>
    /// <param name="warn">Where failures are reported (the server's log), rate-limited; null: not reported.</param>
    public S3DerivativeCache(IAmazonS3 client, S3Location location, Action<string>? warn = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(location);
        _client = client;
        Bucket = location.Bucket;
        Prefix = location.Prefix;
        _warn = warn;
        _writes = Channel.CreateBounded<Write>(
            new BoundedChannelOptions(PendingWrites) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true },
            itemDropped: _ => Interlocked.Decrement(ref _pending));
        _writer = Task.Run(WriteLoopAsync);
    }

    public string Bucket { get; }

    public string Prefix { get; }

    /// <summary>How long a read may take before it counts as a miss (and a failure). Default 2 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long an upload may take. Default 30 s.</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>After a failure, how long the tier answers every read with a miss and drops writes without asking the store. Default 10 s.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often failures are reported at most; those in between are counted into the next report. Default 1 minute.</summary>
    public TimeSpan WarningInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Keys asked for per page of a purge's listing (1..1000; S3's own maximum is the default): smaller in tests, to see paging.</summary>
    public int ListPageSize { get; init; } = S3Listing.MaxPageSize;

    /// <summary>The largest derivative stored (bigger ones are rendered each time, as on a cold cache). Default 32 MiB.</summary>
    public long MaxEntryBytes { get; init; } = 32L << 20;

    /// <summary>Reads answered from the store.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Reads the store did not have (a plain miss, not a failure).</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Reads, writes and purges that failed (store down, timeout, refused, damaged), each answered as a miss.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>The object key of a derivative: under its identifier's folder, so a purge lists one prefix.</summary>
    public string ObjectKey(string key) => $"{FolderOf(DerivativeKey.IdentifierOf(key))}{DerivativeKey.Hash(key)[..40]}";

    /// <summary>The prefix that holds every entry of an identifier, ending with <c>/</c>.</summary>
    public string FolderOf(string identifier)
    {
        var hash = DerivativeKey.Hash(identifier)[..40];
        return Prefix.Length == 0 ? $"{hash[..2]}/{hash}/" : $"{Prefix}/{hash[..2]}/{hash}/";
    }

    /// <summary>The synchronous read, for callers that cannot await (the pipeline uses <see cref="GetAsync"/>): waits at most <see cref="Timeout"/>.</summary>
    public bool TryGet(string key, out RenderedImage image)
    {
        image = GetAsync(key).AsTask().GetAwaiter().GetResult()!;
        return image is not null;
    }

    /// <summary>
    /// The entry, or null on a miss; awaited without holding a thread, and at most <see cref="Timeout"/>. A failure is a
    /// miss (counted, reported, and the tier left alone for <see cref="RetryInterval"/>); the caller's own cancellation
    /// is a plain miss, not the store's failure.
    /// </summary>
    public async ValueTask<RenderedImage?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        if (Unavailable)
        {
            return null;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, cancellationToken);
            timeout.CancelAfter(Timeout);
            var found = await ReadAsync(key, timeout.Token).ConfigureAwait(false);
            if (found is null)
            {
                Interlocked.Increment(ref _misses);
            }
            else
            {
                Interlocked.Increment(ref _hits);
            }

            return found;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Fail($"reading {ObjectKey(key)}", e);
            return null;
        }
    }

    public void Set(string key, RenderedImage image)
    {
        if (image.Data.Length > MaxEntryBytes || Unavailable)
        {
            return;
        }

        Interlocked.Increment(ref _pending);
        if (!_writes.Writer.TryWrite(new Write(key, image, Environment.TickCount64)))
        {
            Interlocked.Decrement(ref _pending);
        }
    }

    /// <summary>
    /// Deletes every entry of the identifier from the bucket (a listing of its folder and deletions of 1000 at a time),
    /// so every server sharing the bucket misses from now on; writes of it still queued here are dropped. A store that
    /// fails is reported and the purge counts 0 there (the entries left are purged by the next purge of the identifier).
    /// </summary>
    public int Purge(string identifier)
    {
        _purgedAt[DerivativeKey.Hash(identifier)] = Environment.TickCount64;
        var deleted = 0;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            timeout.CancelAfter(WriteTimeout);
            deleted = PurgeAsync(identifier, timeout.Token).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Fail($"purging {FolderOf(identifier)}", e);
        }

        return deleted;
    }

    /// <summary>Waits until every queued write has been sent or dropped (tests, shutdown).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        while (Volatile.Read(ref _pending) > 0)
        {
            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops taking writes and sends those queued, waiting at most 10 s. Idempotent.</summary>
    public void Dispose()
    {
        _writes.Writer.TryComplete();
        if (!_writer.Wait(TimeSpan.FromSeconds(10)))
        {
            _stopping.Cancel();
        }
    }

    private bool Unavailable => Environment.TickCount64 < Volatile.Read(ref _unavailableUntil);

    private async Task<RenderedImage?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        var objectKey = ObjectKey(key);
        GetObjectResponse response;
        try
        {
            response = await _client.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = objectKey }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        using (response)
        {
            var length = response.Headers.ContentLength;
            if (length < 0 || length > MaxEntryBytes)
            {
                throw new InvalidDataException($"Expected at most {MaxEntryBytes} bytes for an S3 cache entry but {objectKey} has {length}");
            }

            var metadata = response.Metadata;
            if (!string.Equals(metadata[KeyHashHeader], DerivativeKey.Hash(key), StringComparison.Ordinal))
            {
                // Another key's entry at this name (copied by hand, or a hash prefix collision): not this derivative.
                throw new InvalidDataException($"Expected the entry of this key at {objectKey} but it holds another's");
            }

            var data = GC.AllocateUninitializedArray<byte>((int)length);
            await response.ResponseStream.ReadExactlyAsync(data, cancellationToken).ConfigureAwait(false);
            if (!string.Equals(metadata[DataHashHeader], Convert.ToHexStringLower(SHA256.HashData(data)), StringComparison.Ordinal)
                || !int.TryParse(metadata[WidthHeader], NumberStyles.None, CultureInfo.InvariantCulture, out var width)
                || !int.TryParse(metadata[HeightHeader], NumberStyles.None, CultureInfo.InvariantCulture, out var height)
                || string.IsNullOrEmpty(response.Headers.ContentType))
            {
                throw new InvalidDataException($"Expected a complete S3 cache entry at {objectKey} but its bytes or metadata do not match");
            }

            return new RenderedImage(data, response.Headers.ContentType, width, height);
        }
    }

    private async Task PutAsync(Write write, CancellationToken cancellationToken)
    {
        var request = new PutObjectRequest
        {
            BucketName = Bucket,
            Key = ObjectKey(write.Key),
            InputStream = new MemoryStream(write.Image.Data, writable: false),
            ContentType = write.Image.MediaType,
            AutoCloseStream = true,
            UseChunkEncoding = false,
        };
        request.Metadata[KeyHashHeader] = DerivativeKey.Hash(write.Key);
        request.Metadata[DataHashHeader] = Convert.ToHexStringLower(SHA256.HashData(write.Image.Data));
        request.Metadata[WidthHeader] = write.Image.Width.ToString(CultureInfo.InvariantCulture);
        request.Metadata[HeightHeader] = write.Image.Height.ToString(CultureInfo.InvariantCulture);
        request.Metadata[ETagHeader] = DerivativeKey.ETag(write.Key).Trim('"');
        await _client.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> PurgeAsync(string identifier, CancellationToken cancellationToken)
    {
        var deleted = 0;
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = FolderOf(identifier), MaxKeys = Math.Clamp(ListPageSize, 1, S3Listing.MaxPageSize) };
        var keys = new List<string>();
        await foreach (var item in S3Listing.ObjectsAsync(request, _client.ListObjectsV2Async, cancellationToken).ConfigureAwait(false))
        {
            keys.Add(item.Key);
            if (keys.Count == S3Listing.MaxPageSize)
            {
                deleted += await DeleteAsync(keys, cancellationToken).ConfigureAwait(false);
                keys = [];
            }
        }

        if (keys.Count > 0)
        {
            deleted += await DeleteAsync(keys, cancellationToken).ConfigureAwait(false);
        }

        return deleted;
    }

    /// <summary>
    /// Deletes up to 1000 keys in one request; a store that refuses the multi-object delete (s3rver answers it 500)
    /// gets one DELETE per key instead, a few at a time.
    /// </summary>
    private async Task<int> DeleteAsync(List<string> keys, CancellationToken cancellationToken)
    {
        try
        {
            var request = new DeleteObjectsRequest { BucketName = Bucket, Objects = [.. keys.Select(k => new KeyVersion { Key = k })], Quiet = true };
            var result = await _client.DeleteObjectsAsync(request, cancellationToken).ConfigureAwait(false);
            var errors = result.DeleteErrors ?? [];
            if (errors.Count == 0)
            {
                return keys.Count;
            }

            keys = [.. errors.Select(e => e.Key)];
        }
        catch (AmazonS3Exception e) when ((int)e.StatusCode >= 500 || e.StatusCode == HttpStatusCode.NotImplemented)
        {
            // Retried one by one below.
        }

        var deleted = 0;
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = ConcurrentUploads, CancellationToken = cancellationToken }, async (key, ct) =>
        {
            await _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = key }, ct).ConfigureAwait(false);
            Interlocked.Increment(ref deleted);
        }).ConfigureAwait(false);
        return deleted;
    }

    private async Task WriteLoopAsync()
    {
        using var slots = new SemaphoreSlim(ConcurrentUploads);
        var running = new List<Task>();
        await foreach (var write in _writes.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            await slots.WaitAsync().ConfigureAwait(false);
            running.RemoveAll(t => t.IsCompleted);
            running.Add(Task.Run(async () =>
            {
                try
                {
                    // A write queued before a purge of its identifier would bring back what the purge removed.
                    if (!Unavailable && !PurgedSince(write))
                    {
                        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                        timeout.CancelAfter(WriteTimeout);
                        await PutAsync(write, timeout.Token).ConfigureAwait(false);
                    }
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    Fail($"writing {ObjectKey(write.Key)}", e);
                }
                finally
                {
                    slots.Release();
                    if (Interlocked.Decrement(ref _pending) == 0)
                    {
                        _purgedAt.Clear();
                    }
                }
            }));
        }

        await Task.WhenAll(running).ConfigureAwait(false);
    }

    private bool PurgedSince(Write write) =>
        _purgedAt.TryGetValue(DerivativeKey.Hash(DerivativeKey.IdentifierOf(write.Key)), out var at) && at >= write.QueuedAt;

    /// <summary>Counts a failure, leaves the store alone for <see cref="RetryInterval"/>, and reports it (rate-limited).</summary>
    private void Fail(string what, Exception e)
    {
        Interlocked.Increment(ref _failures);
        Volatile.Write(ref _unavailableUntil, Environment.TickCount64 + (long)RetryInterval.TotalMilliseconds);
        if (_warn is null || !_warnings.TryTake(WarningInterval, out var suppressed))
        {
            return;
        }

        var reason = e is OperationCanceledException ? $"no answer within {Timeout.TotalSeconds:0.###} s" : Describe(e);
        var message = $"S3 cache s3://{Bucket}/{Prefix}: {what} failed ({reason}); answered as a miss, the store is left alone for {RetryInterval.TotalSeconds:0} s";
        _warn(suppressed == 0 ? message : $"{message} ({suppressed} more S3 cache failures since the last report)");
    }

    private static string Describe(Exception e)
    {
        var text = new StringBuilder(e.Message);
        if (e is AmazonS3Exception s3)
        {
            text.Insert(0, $"{(int)s3.StatusCode} {s3.ErrorCode}: ");
        }
        else if (e.InnerException is { } inner && inner.Message != e.Message)
        {
            text.Append(": ").Append(inner.Message);
        }

        return text.ToString();
    }

    private sealed record Write(string Key, RenderedImage Image, long QueuedAt);
}
