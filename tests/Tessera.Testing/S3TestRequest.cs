namespace Tessera.Testing;

/// <summary>One request <see cref="S3TestServer"/> answered, as its request log records it.</summary>
/// <param name="Method">GET, HEAD, PUT, ...</param>
/// <param name="Path">The request target, path style: <c>/bucket/key?query</c>.</param>
/// <param name="Range">The <c>Range</c> header sent, or null for a whole-object request.</param>
/// <param name="Status">The status answered (206 for a range).</param>
/// <param name="Bytes">The body bytes sent.</param>
public sealed record S3TestRequest(string Method, string Path, string? Range, int Status, long Bytes)
{
    /// <summary>Whether this is a GET of <paramref name="key"/> in <paramref name="bucket"/> (path style, query ignored).</summary>
    public bool IsGetOf(string bucket, string key) =>
        Method == "GET" && Uri.UnescapeDataString(Path.Split('?')[0]) == $"/{bucket}/{key}";
}
