namespace Tessera.Imaging.Pipeline;

/// <summary>Which queue a render waits in for a render thread (<see cref="RenderThreads"/>).</summary>
public enum RenderLane
{
    /// <summary>Tiles and small regions: may run on every render thread, and are taken first.</summary>
    Cheap,

    /// <summary>Renders above <see cref="RenderBudget.ExpensivePixels"/>: at most all render threads but one, so one is always free for cheap ones.</summary>
    Expensive,
}
