namespace Tessera.Imaging.Batch;

/// <summary>A master outside the local filesystem.</summary>
/// <param name="Location">Its <c>s3://</c> or http(s) address.</param>
/// <param name="RelativeName">Its path relative to the listed prefix, with <c>/</c> separators: its identifier, and where its output goes.</param>
/// <param name="Modified">When the store says it was last modified (null until downloaded, for HTTP).</param>
public sealed record RemoteMaster(string Location, string RelativeName, DateTime? Modified);
