using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;

namespace Tessera.Imaging.Storage;

/// <summary>
/// Runs one remote call within the store's timeout and the caller's token, and turns what it throws into a
/// <see cref="RemoteStoreException"/>: the caller's own cancellation stays an <see cref="OperationCanceledException"/>;
/// the timeout is <see cref="RemoteFailure.TimedOut"/>; a 404 is <see cref="RemoteFailure.NotFound"/>; anything else
/// the store or the network did is <see cref="RemoteFailure.Unavailable"/>.
/// </summary>
internal static class RemoteCalls
{
    public static async Task<T> RunAsync<T>(TimeSpan timeout, string what, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            return await call(bounded.Token).ConfigureAwait(false);
        }
        catch (RemoteStoreException)
        {
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (bounded.IsCancellationRequested || IsTimeout(e))
        {
            throw new RemoteStoreException(RemoteFailure.TimedOut, $"{what}: no answer within {timeout.TotalSeconds:0.#} s", e);
        }
        catch (AmazonServiceException e) when ((int)e.StatusCode >= 400)
        {
            // The store answered, with an error: its status says which failure, as an HTTP origin's does.
            throw Failed(e.StatusCode, what, $"{e.ErrorCode} {e.Message}".Trim(), e);
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException or IOException or SocketException)
        {
            throw new RemoteStoreException(RemoteFailure.Unavailable, $"{what}: {e.GetType().Name}: {e.Message}", e);
        }
    }

    /// <summary>
    /// The one mapping of a store's error status (an HTTP origin's answer, an S3 error's status) to what the request
    /// hears: 404 and 410 are <see cref="RemoteFailure.NotFound"/>; 408 and 504 (the store, or a gateway before it,
    /// gave up waiting) <see cref="RemoteFailure.TimedOut"/>; any other <see cref="RemoteFailure.Unavailable"/>.
    /// </summary>
    public static RemoteFailure FailureOf(HttpStatusCode status) => status switch
    {
        HttpStatusCode.NotFound or HttpStatusCode.Gone => RemoteFailure.NotFound,
        HttpStatusCode.RequestTimeout or HttpStatusCode.GatewayTimeout => RemoteFailure.TimedOut,
        _ => RemoteFailure.Unavailable,
    };

    /// <summary>The exception for an error <paramref name="status"/> a store answered <paramref name="what"/> with.</summary>
    public static RemoteStoreException Failed(HttpStatusCode status, string what, string? reason, Exception? inner = null) =>
        new(FailureOf(status), $"{what}: the store answered {(int)status}{(string.IsNullOrEmpty(reason) ? "" : " " + reason)}", inner);

    /// <summary>Runs <see cref="RunAsync{T}"/> to its end on the calling thread, for the synchronous render paths.</summary>
    public static T Run<T>(TimeSpan timeout, string what, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        Task.Run(() => RunAsync(timeout, what, call, cancellationToken), CancellationToken.None).GetAwaiter().GetResult();

    private static bool IsTimeout(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is TimeoutException || (inner is SocketException { SocketErrorCode: SocketError.TimedOut }))
            {
                return true;
            }
        }

        return false;
    }
}
