namespace Tessera.Imaging.Rendering;

/// <summary>Encoder settings. Defaults suit a public image server: good quality, fast encodes, no metadata.</summary>
public sealed record RenderOptions
{
    /// <summary>JPEG quality, 1..100.</summary>
    public int JpegQuality { get; init; } = 90;

    /// <summary>WebP quality, 1..100.</summary>
    public int WebpQuality { get; init; } = 80;

    /// <summary>AVIF quality, 1..100.</summary>
    public int AvifQuality { get; init; } = 50;

    /// <summary>JPEG 2000 quality, 1..100.</summary>
    public int Jp2Quality { get; init; } = 48;

    /// <summary>PNG zlib level, 0..9: 6 is the usual balance of size and time.</summary>
    public int PngCompression { get; init; } = 6;

    /// <summary>libvips resampling kernel for reductions and enlargements: nearest, linear, cubic, mitchell, lanczos2, lanczos3.</summary>
    public string Kernel { get; init; } = "lanczos3";

    /// <summary>
    /// Whether plans that read a pyramid's JPEG tiles and write JPEG are decoded and encoded by libjpeg-turbo directly
    /// (<see cref="JpegTileRenderer"/>) rather than through libvips. On by default; off to compare the two.
    /// </summary>
    public bool JpegTiles { get; init; } = true;

    public static RenderOptions Default { get; } = new();
}
