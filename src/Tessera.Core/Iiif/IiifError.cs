namespace Tessera.Core.Iiif;

/// <summary>
/// A failure the client should hear about, as a value. It becomes an HTTP status in exactly one place (the server's
/// error writer), so the core never knows about HTTP beyond the number.
/// </summary>
/// <param name="Status">The HTTP status the IIIF spec asks for: 400 malformed, 404 unknown, 501 not offered, ...</param>
/// <param name="Parameter">The URI component or option at fault (<c>region</c>, <c>size</c>, <c>identifier</c>, ...).</param>
/// <param name="Message">What was expected and what came, for a human.</param>
public sealed record IiifError(int Status, string Parameter, string Message)
{
    /// <summary>
    /// More for the operator's log than the client may see (the file's path, the native error text whole), or null.
    /// Never written into a response body.
    /// </summary>
    public string? Detail { get; init; }

    /// <summary>
    /// For a refusal that a later try may not meet (503: the server is busy), how long the client should wait first: the
    /// <c>Retry-After</c> header. Null for every other error.
    /// </summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>
    /// Whether the server also logs this error as a warning, though it is a client status: the operator's fault, which
    /// no client can fix (a loop of symbolic links in the image root). Errors of 500 and more are logged anyway.
    /// </summary>
    public bool Warn { get; init; }

    public static IiifError BadRequest(string parameter, string message) => new(400, parameter, message);

    public static IiifError NotFound(string parameter, string message) => new(404, parameter, message);

    public static IiifError NotImplemented(string parameter, string message) => new(501, parameter, message);

    public override string ToString() => $"{Status} {Parameter}: {Message}";
}
