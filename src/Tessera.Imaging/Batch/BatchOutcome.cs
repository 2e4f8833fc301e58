namespace Tessera.Imaging.Batch;

/// <summary>What became of one work item.</summary>
public enum BatchOutcome
{
    /// <summary>Written.</summary>
    Done,

    /// <summary>Already there and complete (or up to date): left alone.</summary>
    Skipped,

    /// <summary>Could not be made; the batch goes on and ends with a non-zero exit code.</summary>
    Failed,
}
