namespace Tessera.Imaging.Rendering;

/// <summary>Why a render was stopped before its end.</summary>
public enum RenderStop
{
    /// <summary>Not stopped.</summary>
    None,

    /// <summary>It ran (or waited) past its deadline (the pipeline's RenderBudget.Timeout).</summary>
    TimedOut,

    /// <summary>The request it was for went away (the client closed the connection).</summary>
    Abandoned,
}
