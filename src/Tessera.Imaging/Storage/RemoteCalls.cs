using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;

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
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new RemoteStoreException(RemoteFailure.NotFound, $"{what}: not found ({e.ErrorCode})", e);
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException or IOException or SocketException)
        {
            throw new RemoteStoreException(RemoteFailure.Unavailable, $"{what}: {e.GetType().Name}: {e.Message}", e);
        }
    }

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
