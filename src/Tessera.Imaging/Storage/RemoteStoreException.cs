using Tessera.Core.Iiif;

namespace Tessera.Imaging.Storage;

/// <summary>
/// A remote read failed: the object is missing, the store is unreachable or refused, or it did not answer in time.
/// An <see cref="IOException"/>, so the places that treat a failed read as "read afresh or fail this request" keep
/// doing so; <see cref="ToError"/> gives the request's answer (404, 502, 504).
/// </summary>
public sealed class RemoteStoreException : IOException
{
    public RemoteStoreException(RemoteFailure failure, string message, Exception? inner = null)
        : base(message, inner)
    {
        Failure = failure;
    }

    public RemoteStoreException()
        : this(RemoteFailure.Unavailable, "The remote store failed")
    {
    }

    public RemoteStoreException(string message)
        : this(RemoteFailure.Unavailable, message)
    {
    }

    public RemoteStoreException(string message, Exception innerException)
        : this(RemoteFailure.Unavailable, message, innerException)
    {
    }

    /// <summary>What kind of failure it was.</summary>
    public RemoteFailure Failure { get; }

    /// <summary>The status this failure gives the request.</summary>
    public int Status => Failure switch
    {
        RemoteFailure.NotFound => 404,
        RemoteFailure.TimedOut => 504,
        _ => 502,
    };

    /// <summary>
    /// The request's error for <paramref name="identifier"/>: 404 "No image", 502 or 504 naming the store's failure
    /// without its address (that goes to <see cref="IiifError.Detail"/>, for the operator's log).
    /// </summary>
    public IiifError ToError(string identifier) => Failure switch
    {
        RemoteFailure.NotFound => IiifError.NotFound("identifier", $"No image with identifier \"{identifier}\""),
        RemoteFailure.TimedOut => new IiifError(504, "identifier", $"The image store did not answer in time for \"{identifier}\"; try again") { Detail = Message },
        _ => new IiifError(502, "identifier", $"The image store could not be read for \"{identifier}\"") { Detail = Message },
    };
}
