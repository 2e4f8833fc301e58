namespace Tessera.Imaging.Storage;

/// <summary>What a HEAD of a remote object says: enough to read it by range and to know its version.</summary>
/// <param name="Key">The object key (S3) or the URL path (HTTP) it was asked for.</param>
/// <param name="Length">Its length in bytes.</param>
/// <param name="ETag">The entity tag as sent (quotes and all), or null when the store sends none.</param>
/// <param name="LastModified">Its Last-Modified, or null when the store sends none.</param>
public sealed record RemoteObjectInfo(string Key, long Length, string? ETag, DateTimeOffset? LastModified)
{
    /// <summary>Whether the store answers <c>Range</c> requests (S3 always does; an HTTP origin says so in <c>Accept-Ranges</c>).</summary>
    public bool AcceptsRanges { get; init; } = true;

    /// <summary>
    /// The version of the object in cache keys: its ETag, else Last-Modified and length (an origin without either gives
    /// only its length, and then a same-length replacement goes unnoticed: say so to operators, docs/storage.md does).
    /// </summary>
    public string Version => ETag is { Length: > 0 } etag
        ? "etag-" + etag.Trim('"')
        : $"lm-{LastModified?.UtcTicks ?? 0:x}-{Length:x}";
}
