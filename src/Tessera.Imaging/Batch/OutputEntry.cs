namespace Tessera.Imaging.Batch;

/// <summary>An output that exists.</summary>
/// <param name="Length">Its size in bytes.</param>
/// <param name="Modified">When it was written (UTC).</param>
/// <param name="ETag">The store's entity tag without quotes (the MD5 of a single-part S3 object), or null.</param>
public sealed record OutputEntry(long Length, DateTime Modified, string? ETag);
