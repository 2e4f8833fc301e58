namespace Tessera.Imaging.Sources;

/// <summary>How a source's decoder reaches its pixels, as its header declares: what a request costs in memory and rows.</summary>
public enum SourceDecoding
{
    /// <summary>A format the header reader does not know, or a header it could not read: only libvips can tell.</summary>
    Unknown,

    /// <summary>
    /// Decoded top to bottom a few rows at a time (baseline JPEG, non-interlaced PNG, TIFF in strips): memory stays small,
    /// but a region costs every row above its bottom edge.
    /// </summary>
    Sequential,

    /// <summary>
    /// Decoded whole before the first row comes out (progressive JPEG, interlaced PNG, GIF, WebP, HEIF/AVIF): memory
    /// grows with the whole image, whatever region is asked for.
    /// </summary>
    Whole,

    /// <summary>Decoded a tile at a time, in any order (tiled TIFF, JPEG 2000): a region costs only the tiles it meets.</summary>
    Tiled,
}
