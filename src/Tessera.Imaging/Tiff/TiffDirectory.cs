using System.Collections.Immutable;

namespace Tessera.Imaging.Tiff;

/// <summary>
/// The facts of one image file directory (IFD) that tile serving needs. Values are as stored; absent optional tags
/// take the TIFF 6.0 defaults.
/// </summary>
/// <param name="Page">Index of the IFD in the main chain, or of the main-chain IFD that owns this SubIFD.</param>
/// <param name="SubIfd">Index within the owner's SubIFDs (tag 330), or -1 for a main-chain IFD.</param>
/// <param name="ImageWidth">Tag 256.</param>
/// <param name="ImageLength">Tag 257.</param>
/// <param name="TileWidth">Tag 322, or 0 when the image is stored in strips.</param>
/// <param name="TileLength">Tag 323, or 0 when the image is stored in strips.</param>
/// <param name="Compression">Tag 259 (1 none, 7 JPEG, ...).</param>
/// <param name="Photometric">Tag 262 (0 min-is-white, 1 min-is-black, 2 RGB, 6 YCbCr, ...), or -1 when absent.</param>
/// <param name="SamplesPerPixel">Tag 277.</param>
/// <param name="BitsPerSample">Tag 258, one value per sample.</param>
/// <param name="PlanarConfig">Tag 284 (1 chunky, 2 separate).</param>
/// <param name="YCbCrSubsamplingHorizontal">Tag 530, first value (default 2).</param>
/// <param name="YCbCrSubsamplingVertical">Tag 530, second value (default 2).</param>
/// <param name="NewSubfileType">Tag 254 (bit 0: reduced resolution).</param>
/// <param name="JpegTables">Tag 347: an abbreviated JPEG stream holding the shared DQT/DHT, or empty.</param>
/// <param name="TileOffsets">Tag 324 (or the strip offsets, tag 273, when stripped).</param>
/// <param name="TileByteCounts">Tag 325 (or the strip byte counts, tag 279, when stripped).</param>
/// <param name="Orientation">Tag 274, or null when absent.</param>
public sealed record TiffDirectory(
    int Page,
    int SubIfd,
    int ImageWidth,
    int ImageLength,
    int TileWidth,
    int TileLength,
    int Compression,
    int Photometric,
    int SamplesPerPixel,
    ImmutableArray<int> BitsPerSample,
    int PlanarConfig,
    int YCbCrSubsamplingHorizontal,
    int YCbCrSubsamplingVertical,
    long NewSubfileType,
    ReadOnlyMemory<byte> JpegTables,
    ImmutableArray<long> TileOffsets,
    ImmutableArray<long> TileByteCounts,
    int? Orientation)
{
    public const int CompressionJpeg = 7;
    public const int PhotometricMinIsBlack = 1;
    public const int PhotometricRgb = 2;
    public const int PhotometricYCbCr = 6;

    /// <summary>Tag 34675: the embedded ICC profile as stored, or empty.</summary>
    public ReadOnlyMemory<byte> IccProfile { get; init; }

    public bool IsTiled => TileWidth > 0 && TileLength > 0;

    public bool IsSubIfd => SubIfd >= 0;

    /// <summary>Bit 0 of NewSubfileType: this IFD is a reduced-resolution copy of another.</summary>
    public bool IsReducedResolution => (NewSubfileType & 1) != 0;

    /// <summary>Number of tile columns (0 when stripped).</summary>
    public int TilesAcross => IsTiled ? (int)(((long)ImageWidth + TileWidth - 1) / TileWidth) : 0;

    /// <summary>Number of tile rows (0 when stripped).</summary>
    public int TilesDown => IsTiled ? (int)(((long)ImageLength + TileLength - 1) / TileLength) : 0;
}
