using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Tessera.Imaging.Storage;
using S3Location = Tessera.Imaging.Storage.S3Location;

namespace Tessera.Imaging.Batch;

/// <summary>
/// Outputs in an S3 bucket under a prefix. Bytes in memory are one PUT; a finished file (a pyramid) is one PUT too, or a
/// multipart upload past <see cref="MultipartThreshold"/>. Either way the object appears
/// only when complete (S3 makes a PUT or a completed multipart upload visible whole), so a killed job leaves no partial
/// output, only an unfinished multipart upload that the bucket's lifecycle rule (AbortIncompleteMultipartUpload) removes.
/// What exists is learnt by listing, once per folder: never a HEAD per tile.
/// </summary>
public sealed class S3OutputSink : IOutputSink
{
    private const string WidthHeader = "tessera-width";
    private const string HeightHeader = "tessera-height";
    private const string MasterModifiedHeader = "tessera-master-modified";

    private readonly IAmazonS3 _client;
    private readonly ConcurrentDictionary<string, OutputEntry> _known = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task>> _scanned = new(StringComparer.Ordinal);
    private readonly string _temporary;
    private long _requests;

    /// <param name="client">The S3 client (endpoint, credentials and path style already set).</param>
    /// <param name="location">The bucket and the prefix outputs go under.</param>
    public S3OutputSink(IAmazonS3 client, S3Location location)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(location);
        _client = client;
        Bucket = location.Bucket;
        Prefix = location.Prefix;
        _temporary = Directory.CreateTempSubdirectory("tessera-s3-out-").FullName;
    }

    public string Bucket { get; }

    public string Prefix { get; }

    /// <summary>Files at least this large are uploaded in parts of 8 MiB or more (default 16 MiB, as the SDK's TransferUtility).</summary>
    public long MultipartThreshold { get; init; } = 16L << 20;

    /// <summary>Keys asked for per listing page (1..1000; S3's own maximum is the default): smaller in tests, to see paging.</summary>
    public int ListPageSize { get; init; } = S3Listing.MaxPageSize;

    /// <summary>Requests made to the store so far (listings, PUTs, HEADs, uploads), for tests and reports.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    public string Describe(string relativePath) => $"s3://{Bucket}/{Key(relativePath)}";

    public Task ScanAsync(string relativeFolder, CancellationToken cancellationToken = default)
    {
        var folder = relativeFolder.Length == 0 || relativeFolder.EndsWith('/') ? relativeFolder : relativeFolder + "/";
        return _scanned.GetOrAdd(folder, f => new Lazy<Task>(() => ListAsync(f, recursive: true, cancellationToken))).Value;
    }

    public OutputEntry? Find(string relativePath)
    {
        if (!Covered(relativePath))
        {
            var folder = OutputPaths.FolderOf(relativePath);
            _scanned.GetOrAdd("flat:" + folder, _ => new Lazy<Task>(() => ListAsync(folder, recursive: false, CancellationToken.None))).Value.GetAwaiter().GetResult();
        }

        return _known.GetValueOrDefault(relativePath);
    }

    /// <summary>Compares the listed ETag with the bytes' MD5 (a single-part object's ETag is its MD5).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5351", Justification = "Not a security use: S3 names a single-part object by the MD5 of its bytes, and this compares with that.")]
    public bool Holds(string relativePath, ReadOnlySpan<byte> data) =>
        Find(relativePath) is { ETag: { } etag } && string.Equals(etag, Convert.ToHexStringLower(MD5.HashData(data)), StringComparison.OrdinalIgnoreCase);

    /// <summary>Up to date when the object was written after the master was last changed (S3 keeps times to the second).</summary>
    public bool IsUpToDate(string relativePath, DateTime masterModified) =>
        Find(relativePath) is { } entry && entry.Modified >= masterModified.AddTicks(-(masterModified.Ticks % TimeSpan.TicksPerSecond));

    public async Task WriteAsync(string relativePath, byte[] data, string contentType, int width = 0, int height = 0, CancellationToken cancellationToken = default)
    {
        Check(relativePath);
        var request = new PutObjectRequest
        {
            BucketName = Bucket,
            Key = Key(relativePath),
            InputStream = new MemoryStream(data, writable: false),
            ContentType = contentType,
            AutoCloseStream = true,
            UseChunkEncoding = false,
        };
        if (width > 0 && height > 0)
        {
            request.Metadata[WidthHeader] = width.ToString(CultureInfo.InvariantCulture);
            request.Metadata[HeightHeader] = height.ToString(CultureInfo.InvariantCulture);
        }

        Interlocked.Increment(ref _requests);
        var response = await _client.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
        _known[relativePath] = new OutputEntry(data.Length, DateTime.UtcNow, response.ETag?.Trim('"'));
    }

    public string NewTemporaryPath(string extension) => Path.Combine(_temporary, Guid.NewGuid().ToString("N") + extension);

    public async Task CommitAsync(string temporaryPath, string relativePath, string contentType, DateTime masterModified, CancellationToken cancellationToken = default)
    {
        Check(relativePath);
        try
        {
            var length = new FileInfo(temporaryPath).Length;
            var metadata = new Dictionary<string, string> { [MasterModifiedHeader] = masterModified.ToString("O", CultureInfo.InvariantCulture) };
            if (length < MultipartThreshold)
            {
                var request = new PutObjectRequest { BucketName = Bucket, Key = Key(relativePath), FilePath = temporaryPath, ContentType = contentType, UseChunkEncoding = false };
                foreach (var (name, value) in metadata)
                {
                    request.Metadata[name] = value;
                }

                Interlocked.Increment(ref _requests);
                await _client.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await UploadInPartsAsync(temporaryPath, Key(relativePath), contentType, length, metadata, cancellationToken).ConfigureAwait(false);
            }

            _known[relativePath] = new OutputEntry(length, DateTime.UtcNow, null);
        }
        finally
        {
            File.Delete(temporaryPath);
        }
    }

    /// <summary>Parts uploaded at once.</summary>
    public const int ConcurrentParts = 4;

    /// <summary>
    /// A multipart upload, parts of at least 8 MiB (at most 10,000 of them, S3's limit), a few at a time: the object
    /// exists only once it is completed; a failure aborts it. (The SDK's TransferUtility would do the same but cannot
    /// send parts without aws-chunked signing, which S3-imitating stores such as s3rver store verbatim.)
    /// </summary>
    private async Task UploadInPartsAsync(string path, string key, string contentType, long length, Dictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        var partSize = Math.Max(8L << 20, (length + 9_999) / 10_000);
        var start = new InitiateMultipartUploadRequest { BucketName = Bucket, Key = key, ContentType = contentType };
        foreach (var (name, value) in metadata)
        {
            start.Metadata[name] = value;
        }

        Interlocked.Increment(ref _requests);
        var upload = await _client.InitiateMultipartUploadAsync(start, cancellationToken).ConfigureAwait(false);
        try
        {
            var count = (int)((length + partSize - 1) / partSize);
            var parts = new PartETag[count];
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = ConcurrentParts, CancellationToken = cancellationToken }, async (index, ct) =>
            {
                var part = new UploadPartRequest
                {
                    BucketName = Bucket,
                    Key = key,
                    UploadId = upload.UploadId,
                    PartNumber = index + 1,
                    FilePath = path,
                    FilePosition = index * partSize,
                    PartSize = Math.Min(partSize, length - (index * partSize)),
                    UseChunkEncoding = false,
                };
                Interlocked.Increment(ref _requests);
                var response = await _client.UploadPartAsync(part, ct).ConfigureAwait(false);
                parts[index] = new PartETag(index + 1, response.ETag);
            }).ConfigureAwait(false);

            Interlocked.Increment(ref _requests);
            await _client.CompleteMultipartUploadAsync(
                new CompleteMultipartUploadRequest { BucketName = Bucket, Key = key, UploadId = upload.UploadId, PartETags = [.. parts] },
                cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Nothing becomes visible; the parts sent are dropped now rather than by the bucket's lifecycle rule.
            try
            {
                await _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = Bucket, Key = key, UploadId = upload.UploadId }, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is AmazonS3Exception or Amazon.Runtime.AmazonClientException or HttpRequestException)
            {
                // The store is gone: the lifecycle rule removes the parts.
            }

            throw;
        }
    }

    public async Task<(int Width, int Height)?> DimensionsAsync(string relativePath, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _requests);
        var head = await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = Key(relativePath) }, cancellationToken).ConfigureAwait(false);
        return int.TryParse(head.Metadata[WidthHeader], NumberStyles.None, CultureInfo.InvariantCulture, out var width)
            && int.TryParse(head.Metadata[HeightHeader], NumberStyles.None, CultureInfo.InvariantCulture, out var height)
                ? (width, height)
                : null;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_temporary, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a failed writer: the system's temporary folder is cleaned anyway.
        }
    }

    private string Key(string relativePath) => Prefix.Length == 0 ? relativePath : $"{Prefix}/{relativePath}";

    private static void Check(string relativePath)
    {
        if (OutputPaths.Problem(relativePath) is { } problem)
        {
            throw new ArgumentException(problem, nameof(relativePath));
        }
    }

    private bool Covered(string relativePath)
    {
        foreach (var (folder, scan) in _scanned)
        {
            if (scan.IsValueCreated && scan.Value.IsCompletedSuccessfully)
            {
                var flat = folder.StartsWith("flat:", StringComparison.Ordinal);
                var name = flat ? folder[5..] : folder;
                if (flat ? OutputPaths.FolderOf(relativePath) == name : relativePath.StartsWith(name, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private async Task ListAsync(string relativeFolder, bool recursive, CancellationToken cancellationToken)
    {
        var keyPrefix = Prefix.Length == 0 ? relativeFolder : $"{Prefix}/{relativeFolder}";
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = keyPrefix, Delimiter = recursive ? null : "/", MaxKeys = Math.Clamp(ListPageSize, 1, S3Listing.MaxPageSize) };
        var strip = Prefix.Length == 0 ? 0 : Prefix.Length + 1;
        var objects = S3Listing.ObjectsAsync(
            request,
            (page, token) =>
            {
                Interlocked.Increment(ref _requests);
                return _client.ListObjectsV2Async(page, token);
            },
            cancellationToken);
        await foreach (var item in objects.ConfigureAwait(false))
        {
            _known.TryAdd(item.Key[strip..], new OutputEntry(item.Size ?? 0, item.LastModified?.ToUniversalTime() ?? DateTime.MinValue, item.ETag?.Trim('"')));
        }
    }
}
