namespace Tessera.Imaging.Sources;

/// <summary>
/// What a source declares in its first bytes, read by <see cref="HeaderProbe"/> without libvips: enough to refuse a
/// decompression bomb (a few hundred bytes declaring 65000×65000) before any decoder allocates for it.
/// </summary>
/// <param name="Format">A short name of the format and its coding, for messages: "progressive JPEG", "interlaced PNG", "TIFF in strips".</param>
/// <param name="Width">Declared width in pixels of the full-resolution image (0 when unknown).</param>
/// <param name="Height">Declared height in pixels (0 when unknown).</param>
/// <param name="Decoding">How the decoder reaches the pixels.</param>
/// <param name="DecodeUnitBytes">
/// The memory the decoder needs at once for its smallest unit of work, estimated from the header: the whole image for
/// <see cref="SourceDecoding.Whole"/> (libjpeg's DCT coefficients, 2 bytes a sample, for a progressive JPEG), one strip
/// or row band for <see cref="SourceDecoding.Sequential"/>, one tile for <see cref="SourceDecoding.Tiled"/>; 0 when unknown.
/// </param>
public sealed record SourceHeader(string Format, long Width, long Height, SourceDecoding Decoding, long DecodeUnitBytes)
{
    /// <summary>A header the reader does not understand (another format, or damaged): no limit can be judged from it.</summary>
    public static SourceHeader Unknown { get; } = new("unknown", 0, 0, SourceDecoding.Unknown, 0);

    /// <summary>Declared pixels of the full-resolution image (0 when unknown).</summary>
    public long Pixels => HeaderProbe.Multiply(Width, Height);
}
