namespace Tessera.Imaging.Sources;

/// <summary>
/// Raised by <see cref="SourceInspector"/> for what only inspection can tell and that is no damage: a page past the end
/// (404), a page whose header declares more than the limits (413: a PDF page's size is known only once poppler has
/// read its MediaBox, a TIFF page's from its own directory). <see cref="SourceCatalog"/> turns it into the answer,
/// naming the identifier asked for.
/// </summary>
/// <param name="status">404 or 413.</param>
/// <param name="reason">For 404, the sentence; for 413, the reason <see cref="SourceLimits.Refuse"/> gave.</param>
internal sealed class SourceRefusedException(int status, string reason) : Exception(reason)
{
    /// <summary>404 (no such page) or 413 (over a limit).</summary>
    public int Status { get; } = status;
}
