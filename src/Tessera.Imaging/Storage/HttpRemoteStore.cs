using System.Net;
using System.Net.Http.Headers;

namespace Tessera.Imaging.Storage;

/// <summary>
/// Objects behind an HTTP(S) origin: the identifier, each path segment URL-encoded, appended to a base URL ending in
/// '/'. HEAD gives length and version (ETag, else Last-Modified); reads are <c>Range</c> GETs when the origin says
/// <c>Accept-Ranges: bytes</c>. Failed reads (a network error, a 5xx, a 429) are retried twice with backoff, as GET and
/// HEAD are safe to repeat; every call is bounded by <c>timeout</c> as a whole. An origin cannot be listed.
/// </summary>
public sealed class HttpRemoteStore : IRemoteStore
{
    private const int Attempts = 3;
    private readonly HttpClient _client;
    private readonly TimeSpan _timeout;

    /// <param name="client">The client (its own timeout is not relied on: each call has <paramref name="timeout"/>).</param>
    /// <param name="baseUrl">The origin's base, e.g. <c>https://images.example.org/masters/</c>.</param>
    /// <param name="timeout">The most one call (with its retries) may take.</param>
    public HttpRemoteStore(HttpClient client, Uri baseUrl, TimeSpan timeout)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        ArgumentNullException.ThrowIfNull(baseUrl);
        BaseUrl = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        _timeout = timeout;
    }

    /// <summary>Whether <paramref name="root"/> is spelt as an HTTP origin (<c>http://</c> or <c>https://</c>).</summary>
    public static bool IsHttp(string? root) =>
        root is not null && (root.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || root.StartsWith("https://", StringComparison.OrdinalIgnoreCase));

    /// <summary>The base URL that identifiers are appended to (ends in '/').</summary>
    public Uri BaseUrl { get; }

    public bool CanList => false;

    /// <summary>The URL of <paramref name="key"/>: each '/'-separated segment escaped, so spaces, '#' and '?' stay in the path.</summary>
    public Uri UrlOf(string key) =>
        new(BaseUrl, string.Join('/', key.TrimStart('/').Split('/').Select(Uri.EscapeDataString)));

    public string Describe(string key) => UrlOf(key).AbsoluteUri;

    public Task<RemoteObjectInfo> HeadAsync(string key, CancellationToken cancellationToken) =>
        RemoteCalls.RunAsync(
            _timeout,
            $"HEAD {Describe(key)}",
            async token =>
            {
                using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Head, UrlOf(key)), token).ConfigureAwait(false);
                Check(response, $"HEAD {Describe(key)}");
                var length = response.Content.Headers.ContentLength
                    ?? throw new RemoteStoreException(RemoteFailure.Unavailable, $"HEAD {Describe(key)}: expected a Content-Length but the origin sent none");
                return new RemoteObjectInfo(key, length, response.Headers.ETag?.ToString(), response.Content.Headers.LastModified)
                {
                    AcceptsRanges = response.Headers.AcceptRanges.Contains("bytes"),
                };
            },
            cancellationToken);

    public Task ReadRangeAsync(RemoteObjectInfo info, long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(info);
        var what = $"GET {Describe(info.Key)} bytes {offset}-{offset + buffer.Length - 1}";
        return RemoteCalls.RunAsync(
            _timeout,
            what,
            async token =>
            {
                using var response = await SendAsync(
                    () => new HttpRequestMessage(HttpMethod.Get, UrlOf(info.Key)) { Headers = { Range = new RangeHeaderValue(offset, offset + buffer.Length - 1) } },
                    token).ConfigureAwait(false);
                Check(response, what);
                await using var body = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
                if (response.StatusCode != HttpStatusCode.PartialContent)
                {
                    // The origin ignored the range and sent it all: skip to the bytes wanted.
                    await SkipAsync(body, offset, token).ConfigureAwait(false);
                }

                await body.ReadExactlyAsync(buffer, token).ConfigureAwait(false);
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
                using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, UrlOf(info.Key)), token).ConfigureAwait(false);
                Check(response, $"GET {Describe(info.Key)}");
                await response.Content.CopyToAsync(destination, token).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    public IAsyncEnumerable<string> ListAsync(CancellationToken cancellationToken) =>
        throw new NotSupportedException($"An HTTP origin ({BaseUrl}) cannot be listed");

    public async Task<string?> ProblemAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Any answer means the origin is there (its root may well be 403 or 404); only no answer is a problem.
            await RemoteCalls.RunAsync(
                _timeout,
                $"HEAD {BaseUrl}",
                async token =>
                {
                    using var response = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, BaseUrl), HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
                    return true;
                },
                cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (RemoteStoreException e)
        {
            return $"Expected an HTTP origin answering at {BaseUrl} but {e.Message}";
        }
    }

    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var message = request();
                var response = await _client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                if (attempt < Attempts && ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests))
                {
                    response.Dispose();
                }
                else
                {
                    return response;
                }
            }
            catch (HttpRequestException) when (attempt < Attempts && !cancellationToken.IsCancellationRequested)
            {
                // A refused or broken connection: worth another try after the backoff.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100 * (1 << (2 * (attempt - 1))) * (0.5 + Random.Shared.NextDouble())), cancellationToken).ConfigureAwait(false);
        }
    }

    private static void Check(HttpResponseMessage response, string what)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw RemoteCalls.Failed(response.StatusCode, what, response.ReasonPhrase);
        }
    }

    private static async Task SkipAsync(Stream body, long count, CancellationToken cancellationToken)
    {
        var scratch = new byte[81920];
        while (count > 0)
        {
            var n = await body.ReadAsync(scratch.AsMemory(0, (int)Math.Min(scratch.Length, count)), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                throw new EndOfStreamException("The origin's body ended before the range wanted");
            }

            count -= n;
        }
    }
}
