using Microsoft.Win32.SafeHandles;
using Tessera.Imaging.Jpeg;

namespace Tessera.Imaging.Tiff;

/// <summary>
/// The fast path for tile-aligned requests: one stored JPEG tile of a tiled TIFF level, sent as a standalone JPEG
/// without decoding or encoding. Callers read the directories once (<see cref="TiffDirectoryReader"/>), keep them
/// with the open handle, then ask per request.
/// </summary>
public static class JpegTilePassthrough
{
    /// <summary>Largest stored tile read: a 1024x1024 JPEG tile at quality 100 is about 1 MB.</summary>
    public const int MaxTileBytes = 16 * 1024 * 1024;

    /// <summary>Why tiles of <paramref name="directory"/> cannot be passed through, or null when they can.</summary>
    public static string? GetIneligibility(TiffDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (directory.Compression != TiffDirectory.CompressionJpeg)
        {
            return $"Compression is {directory.Compression}, not 7 (JPEG).";
        }

        if (!directory.IsTiled)
        {
            return "The level is stored in strips, not tiles.";
        }

        if (directory.PlanarConfig != 1)
        {
            return $"PlanarConfig is {directory.PlanarConfig}; only chunky (1) tiles hold all components.";
        }

        if (directory.BitsPerSample.Any(b => b != 8))
        {
            return $"BitsPerSample is {string.Join(",", directory.BitsPerSample)}; only 8 is passed through.";
        }

        return (directory.SamplesPerPixel, directory.Photometric) switch
        {
            (1, TiffDirectory.PhotometricMinIsBlack) => null,
            (3, TiffDirectory.PhotometricRgb or TiffDirectory.PhotometricYCbCr) => null,
            _ => $"SamplesPerPixel {directory.SamplesPerPixel} with Photometric {directory.Photometric} is not grey, RGB or YCbCr.",
        };
    }

    /// <summary>
    /// The geometry of tile (<paramref name="column"/>, <paramref name="row"/>), or false when the level is not tiled
    /// or the tile is outside it.
    /// </summary>
    public static bool TryGetTileGeometry(TiffDirectory directory, int column, int row, out TiffTileGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(directory);
        geometry = default;
        if (!directory.IsTiled || column < 0 || row < 0 || column >= directory.TilesAcross || row >= directory.TilesDown)
        {
            return false;
        }

        int x = column * directory.TileWidth;
        int y = row * directory.TileLength;
        int width = Math.Min(directory.TileWidth, directory.ImageWidth - x);
        int height = Math.Min(directory.TileLength, directory.ImageLength - y);
        geometry = new TiffTileGeometry(
            column,
            row,
            (row * directory.TilesAcross) + column,
            x,
            y,
            width,
            height,
            directory.TileWidth,
            directory.TileLength);
        return true;
    }

    /// <summary>
    /// Tile (<paramref name="column"/>, <paramref name="row"/>) of the directory at <paramref name="page"/> (index in
    /// the main chain) or of its SubIFD <paramref name="subIfd"/>.
    /// </summary>
    public static JpegTileResult ReadTile(
        SafeFileHandle file,
        IReadOnlyList<TiffDirectory> directories,
        int page,
        int column,
        int row,
        int subIfd = -1)
    {
        ArgumentNullException.ThrowIfNull(directories);
        TiffDirectory? directory = directories.FirstOrDefault(d => d.Page == page && d.SubIfd == subIfd);
        return directory is null
            ? JpegTileResult.NotEligible($"The TIFF has no directory at page {page}, SubIFD {subIfd}.")
            : ReadTile(file, directory, column, row);
    }

    /// <summary>
    /// Tile (<paramref name="column"/>, <paramref name="row"/>) of <paramref name="directory"/> as a standalone JPEG,
    /// with exactly one positioned read of the stored bytes. Throws <see cref="TiffFormatException"/> when the stored
    /// offsets point outside the file.
    /// </summary>
    public static JpegTileResult ReadTile(SafeFileHandle file, TiffDirectory directory, int column, int row)
    {
        ArgumentNullException.ThrowIfNull(file);
        return ReadTile(TiffByteSource.From(file), directory, column, row);
    }

    /// <summary>
    /// As <see cref="ReadTile(SafeFileHandle, TiffDirectory, int, int)"/>, through <paramref name="bytes"/>: for a remote
    /// object, exactly one ranged GET of the tile's stored bytes.
    /// </summary>
    public static JpegTileResult ReadTile(Storage.ISourceBytes bytes, TiffDirectory directory, int column, int row, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return ReadTile(TiffByteSource.From(bytes, cancellationToken), directory, column, row);
    }

    private static JpegTileResult ReadTile(TiffByteSource source, TiffDirectory directory, int column, int row)
    {
        ArgumentNullException.ThrowIfNull(directory);
        string? ineligible = GetIneligibility(directory);
        if (ineligible is not null)
        {
            return JpegTileResult.NotEligible(ineligible);
        }

        if (!TryGetTileGeometry(directory, column, row, out TiffTileGeometry geometry))
        {
            return JpegTileResult.NotEligible(
                $"Expected a tile within {directory.TilesAcross}x{directory.TilesDown} but was asked for {column},{row}.");
        }

        long offset = directory.TileOffsets[geometry.Index];
        long count = directory.TileByteCounts[geometry.Index];
        if (count == 0)
        {
            return JpegTileResult.NotEligible($"Tile {column},{row} is not stored (a sparse tile).");
        }

        if (count > MaxTileBytes)
        {
            return JpegTileResult.NotEligible($"Tile {column},{row} has {count} bytes, more than the {MaxTileBytes} passed through.");
        }

        var stored = GC.AllocateUninitializedArray<byte>((int)count);
        source.ReadExactly(offset, stored);

        return JpegTileAssembler.TryAssemble(
            directory.JpegTables.Span,
            stored,
            directory.Photometric == TiffDirectory.PhotometricRgb,
            directory.SamplesPerPixel,
            geometry.Width,
            geometry.Height,
            out byte[] jpeg,
            out string reason)
            ? JpegTileResult.Passthrough(jpeg)
            : JpegTileResult.NotEligible(reason);
    }
}
