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
}
