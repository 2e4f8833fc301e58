namespace Tessera.Imaging.Rendering;

/// <summary>An encoded image ready to send.</summary>
/// <param name="Data">The encoded bytes.</param>
/// <param name="MediaType">Its media type, e.g. <c>image/jpeg</c>.</param>
/// <param name="Width">Pixel width of the encoded image.</param>
/// <param name="Height">Pixel height of the encoded image.</param>
public sealed record RenderedImage(byte[] Data, string MediaType, int Width, int Height)
{
    /// <summary>How the bytes were obtained (reported in a response header, for operators and benchmarks).</summary>
    public RenderOrigin Origin { get; init; } = RenderOrigin.Rendered;

    /// <summary>
    /// The path <see cref="RenderPathChooser"/> chose for the plan (null when rendered outside <c>ImagePipeline</c>). It
    /// differs from <see cref="Origin"/> when a fast path declined at run time (a damaged tile) or the cache answered.
    /// </summary>
    public RenderPath? Path { get; init; }

    /// <summary>The cache tier that held these bytes (set by the cache that kept them; null when not from a cache).</summary>
    public Caching.CacheTier? Tier { get; init; }

    /// <summary>Why <see cref="Path"/> was chosen (null when rendered outside <c>ImagePipeline</c>).</summary>
    public RenderReason? Reason { get; init; }
}
