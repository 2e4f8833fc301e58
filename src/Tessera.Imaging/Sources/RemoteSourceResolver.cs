using System.Diagnostics;
using Tessera.Core.Iiif;
using Tessera.Imaging.Caching;
using Tessera.Imaging.Storage;

namespace Tessera.Imaging.Sources;

/// <summary>
/// Identifiers are keys under an S3 prefix or paths under an HTTP origin's base URL, spelt as for folders
/// (<c>maps/1850.tif</c>; the same <see cref="RelativeIdentifier"/> rules, so nothing escapes the root). Each request
/// asks the store for the object's HEAD (or trusts one younger than <see cref="RemoteSourceSettings.RevalidateSeconds"/>):
/// its ETag is the source's version in every cache key, so a replaced object is served anew. A TIFF is read in place
/// by ranged GETs; anything else is fetched whole into the <see cref="RemoteSpool"/> and served from there. A missing
/// object is 404, a store that fails 502, one that does not answer in time 504.
/// </summary>
public sealed class RemoteSourceResolver : ISourceResolver
{
    private static readonly HashSet<string> InPlaceExtensions = new(StringComparer.OrdinalIgnoreCase) { ".tif", ".tiff", ".ptif" };

    private static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".tif", ".tiff", ".ptif", ".jpg", ".jpeg", ".png", ".webp", ".gif", ".jp2", ".j2k", ".jpx", ".heic", ".heif", ".avif",
    };

    private readonly LruCache<string, (RemoteObjectInfo Info, long Expires)> _heads = new(4096);
    private readonly TimeSpan _timeout;
    private readonly long _revalidateMilliseconds;

    /// <param name="store">Where the objects are.</param>
    /// <param name="spool">Where whole objects are kept.</param>
    /// <param name="settings">Timeout and revalidation window.</param>
    public RemoteSourceResolver(IRemoteStore store, RemoteSpool spool, RemoteSourceSettings settings)
    {
        Store = store ?? throw new ArgumentNullException(nameof(store));
        Spool = spool ?? throw new ArgumentNullException(nameof(spool));
        ArgumentNullException.ThrowIfNull(settings);
        _timeout = settings.RemoteTimeout;
        _revalidateMilliseconds = (long)(settings.RevalidateSeconds * 1000);
    }

    /// <summary>Where the objects are.</summary>
    public IRemoteStore Store { get; }

    /// <summary>Where whole objects are kept.</summary>
    public RemoteSpool Spool { get; }

    /// <summary>How far <see cref="List"/> may go: entries and time (depth does not apply: a bucket is flat).</summary>
    public ListingLimits Listing { get; init; } = ListingLimits.Default;

    /// <inheritdoc/>
    public string? IdentifierProblem(string identifier) => RelativeIdentifier.Problem(identifier);

    /// <inheritdoc/>
    /// <remarks>413 for an object that must be spooled and is larger than the spool.</remarks>
    public Outcome<ResolvedSource> Resolve(string identifier)
    {
        if (IdentifierProblem(identifier) is { } problem)
        {
            return IiifError.BadRequest("identifier", problem);
        }

        try
        {
            var info = Head(identifier);
            var inPlace = InPlaceExtensions.Contains(Path.GetExtension(identifier)) && info.AcceptsRanges;
            if (!inPlace && info.Length > Spool.MaxBytes)
            {
                return SourceCatalog.TooLarge(identifier, $"it has {info.Length} bytes, more than the spool holds ({Spool.MaxBytes / (1024 * 1024)} MiB, SpoolMegabytes)");
            }

            var remote = new RemoteObject(Store, info, Spool, inPlace);
            if (!inPlace)
            {
                remote.EnsureLocal();
            }

            return new ResolvedSource(identifier, remote.LocalPath, info.LastModified ?? DateTimeOffset.UnixEpoch, info.Length) { Remote = remote };
        }
        catch (RemoteStoreException e)
        {
            if (e.Failure == RemoteFailure.NotFound)
            {
                _heads.Remove(identifier);
            }

            return e.ToError(identifier);
        }
    }

    /// <summary>Forgets what is known of <paramref name="identifier"/>'s version (a purge): the next request asks the store.</summary>
    public void Forget(string identifier) => _heads.Remove(identifier);

    /// <inheritdoc/>
    /// <remarks>
    /// ListObjectsV2 page by page, keys with an image extension that are identifiers, in natural order; stops at
    /// <see cref="ListingLimits.MaxEntries"/> keys or <see cref="ListingLimits.MaxDuration"/>. An HTTP origin cannot be
    /// listed: the listing is empty and says so in <see cref="SourceListing.Truncated"/>; a store that fails names the
    /// failure there too.
    /// </remarks>
    public SourceListing List(CancellationToken cancellationToken = default)
    {
        if (!Store.CanList)
        {
            return new SourceListing([], "an HTTP origin cannot be listed: images are served by identifier only");
        }

        var found = new List<string>();
        string? truncated = null;
        var clock = Stopwatch.StartNew();
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(Listing.MaxDuration);
        var entries = 0;
        try
        {
            Task.Run(
                async () =>
                {
                    await foreach (var key in Store.ListAsync(bounded.Token).ConfigureAwait(false))
                    {
                        if (++entries > Listing.MaxEntries)
                        {
                            truncated = $"the listing stopped after {Listing.MaxEntries} entries (ListingMaxEntries)";
                            return;
                        }

                        if (ImageExtensions.Contains(Path.GetExtension(key)) && IdentifierProblem(key) is null && !key.Split('/').Any(s => s.StartsWith('.')))
                        {
                            found.Add(key);
                        }
                    }
                },
                CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is OperationCanceledException || (e is RemoteStoreException && bounded.IsCancellationRequested))
        {
            truncated = cancellationToken.IsCancellationRequested
                ? "the listing was cancelled"
                : $"the listing stopped after {Listing.MaxDuration.TotalSeconds:0.#} s (ListingMaxSeconds)";
        }
        catch (RemoteStoreException e)
        {
            truncated = $"the bucket could not be listed: {e.Message}";
        }

        found.Sort(NaturalStringComparer.Instance);
        return new SourceListing(found, truncated);
    }

    /// <inheritdoc/>
    /// <remarks>One call: a HeadBucket (S3) or a HEAD of the base URL (HTTP).</remarks>
    public string? RootProblem() =>
        Task.Run(() => Store.ProblemAsync(CancellationToken.None), CancellationToken.None).GetAwaiter().GetResult();

    private RemoteObjectInfo Head(string identifier)
    {
        var now = Environment.TickCount64;
        if (_revalidateMilliseconds > 0 && _heads.TryGet(identifier, out var known) && known.Expires > now)
        {
            return known.Info;
        }

        var info = RemoteCalls.Run(_timeout, $"HEAD {Store.Describe(identifier)}", token => Store.HeadAsync(identifier, token), CancellationToken.None);
        if (_revalidateMilliseconds > 0)
        {
            _heads.Set(identifier, (info, now + _revalidateMilliseconds));
        }

        return info;
    }
}
