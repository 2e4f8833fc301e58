namespace Tessera.Server.Operations.Admin;

/// <summary>One identifier's requests within the admin window.</summary>
/// <param name="Identifier">The image identifier.</param>
/// <param name="Requests">Requests answered.</param>
/// <param name="Failures">Requests answered with a status of 400 or more.</param>
/// <param name="MaxMilliseconds">The slowest request.</param>
/// <param name="TotalMilliseconds">All its requests' time together.</param>
/// <param name="LastStatus">The status of a recent request (the last one counted by one of the generations).</param>
/// <param name="LastFailureStatus">The status of a recent failure, or null when none failed.</param>
public sealed record IdentifierActivity(string Identifier, long Requests, long Failures, double MaxMilliseconds, double TotalMilliseconds, int LastStatus, int? LastFailureStatus)
{
    public double MeanMilliseconds => Requests == 0 ? 0 : Math.Round(TotalMilliseconds / Requests, 2);

    /// <summary>The sum of two generations' counts; the later generation's statuses win.</summary>
    public IdentifierActivity Merge(IdentifierActivity later) => new(
        Identifier,
        Requests + later.Requests,
        Failures + later.Failures,
        Math.Max(MaxMilliseconds, later.MaxMilliseconds),
        TotalMilliseconds + later.TotalMilliseconds,
        later.LastStatus,
        later.LastFailureStatus ?? LastFailureStatus);
}
