using System.Runtime.CompilerServices;
using Amazon.S3.Model;

namespace Tessera.Imaging.Storage;

/// <summary>
/// The one loop that reads an S3 listing (ListObjectsV2) to its end, for sources, batch input and output and the
/// shared cache's purge: page after page by continuation token until the store says the listing is complete. A store
/// that says a page is truncated but gives no token (some S3 imitations) is asked to go on after the last key instead
/// (<c>start-after</c>), so a listing never stops quietly at the first 1,000 keys.
/// </summary>
internal static class S3Listing
{
    /// <summary>The most keys S3 returns in one page (and its default).</summary>
    public const int MaxPageSize = 1000;

    /// <summary>Every object the listing of <paramref name="request"/> holds, in the store's (key) order.</summary>
    /// <param name="request">Bucket, prefix, delimiter and page size (<c>MaxKeys</c>); its continuation fields are set here.</param>
    /// <param name="listPage">Asks for one page (the caller's timeout, retries and request counting go around the SDK call).</param>
    /// <param name="cancellationToken">Stops between pages.</param>
    /// <exception cref="RemoteStoreException">A page said more keys follow but neither gave a token nor held a key to go on after.</exception>
    public static async IAsyncEnumerable<S3Object> ObjectsAsync(
        ListObjectsV2Request request,
        Func<ListObjectsV2Request, CancellationToken, Task<ListObjectsV2Response>> listPage,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(listPage);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await listPage(request, cancellationToken).ConfigureAwait(false);
            string? lastKey = null;
            foreach (var item in page.S3Objects ?? [])
            {
                lastKey = item.Key;
                yield return item;
            }

            if (page.IsTruncated != true)
            {
                yield break;
            }

            if (!string.IsNullOrEmpty(page.NextContinuationToken))
            {
                request.ContinuationToken = page.NextContinuationToken;
            }
            else if (lastKey is not null)
            {
                request.ContinuationToken = null;
                request.StartAfter = lastKey;
            }
            else
            {
                throw new RemoteStoreException(RemoteFailure.Unavailable, $"LIST s3://{request.BucketName}/{request.Prefix}: expected a continuation token or keys on a truncated page but the store sent neither");
            }
        }
    }
}
