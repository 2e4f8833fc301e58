namespace Tessera.Imaging.Storage;

/// <summary>Why a remote read failed, as the client hears it.</summary>
public enum RemoteFailure
{
    /// <summary>The object does not exist (404).</summary>
    NotFound,

    /// <summary>The store answered with an error or could not be reached (502 Bad Gateway).</summary>
    Unavailable,

    /// <summary>The store did not answer within the timeout (504 Gateway Timeout).</summary>
    TimedOut,
}
