using Tessera.Core.Planning;
using Tessera.Imaging.Colour;
using Tessera.Imaging.Storage;
using Tessera.Imaging.Tiff;

namespace Tessera.Imaging.Sources;

/// <summary>
/// Describes a remote pyramid TIFF from its directories alone, read by a few ranged GETs, so nothing of it is
/// downloaded whole: what libvips would have said (size, levels, orientation, profile) is all in the tags. Only TIFFs
/// that the stored-tile and JPEG-tile paths can serve are described so (level 0 tiled, JPEG-compressed, 8-bit, chunky,
/// grey, RGB or YCbCr, no extra samples); for any other, <see cref="Inspect"/> answers null and the object is spooled
/// and inspected by libvips like a file.
/// </summary>
internal static class RemoteTiffInspector
{
    private const int MaxLevels = 24;

    /// <summary>The description, or null when this TIFF is not one served in place.</summary>
    /// <exception cref="RemoteStoreException">A ranged read failed.</exception>
    /// <exception cref="TiffFormatException">The directories are damaged (the spooled copy then goes to libvips, which says how).</exception>
    public static SourceDescription? Inspect(ResolvedSource source, RemoteObject remote, CancellationToken cancellationToken = default)
    {
        var directories = TiffDirectoryReader.Read(new BlockCachedBytes(remote.Bytes), cancellationToken).Where(d => !d.IsSubIfd).ToList();
        if (directories.Count == 0 || !Servable(directories[0]))
        {
            return null;
        }

        var first = directories[0];
        int width = first.ImageWidth, height = first.ImageLength;
        var levels = new List<PyramidLevel> { new(0, width, height, first.TileWidth, first.TileLength) };
        var previousWidth = width;
        foreach (var next in directories.Skip(1).Take(MaxLevels - 1))
        {
            // As SourceInspector judges pages: a smaller copy of the same picture continues the pyramid, anything else ends it.
            var aspect = Math.Abs(((double)next.ImageWidth / next.ImageLength) - ((double)width / height));
            if (next.ImageWidth >= previousWidth || next.ImageLength == 0 || aspect > 0.02 * width / height + 2.0 / next.ImageLength)
            {
                break;
            }

            levels.Add(new PyramidLevel(next.Page, next.ImageWidth, next.ImageLength, next.TileWidth, next.TileLength));
            previousWidth = next.ImageWidth;
        }

        var orientation = first.Orientation is { } o and >= 1 and <= 8 ? o : 1;
        var swap = orientation >= 5;
        var info = new SourceInfo(swap ? height : width, swap ? width : height, levels, orientation, HasAlpha: false);
        var header = new SourceHeader("tiled TIFF", width, height, SourceDecoding.Tiled, HeaderProbe.Multiply(first.TileWidth, first.TileLength, first.SamplesPerPixel));
        return new SourceDescription(source, info, SourceLoader.Tiff, "tiffload")
        {
            TiffDirectories = directories,
            Header = header,
            Profile = first.IccProfile.IsEmpty ? null : IccProfile.TryParse(first.IccProfile.Span),
        };
    }

    private static bool Servable(TiffDirectory directory) =>
        directory.IsTiled
        && directory.Compression == TiffDirectory.CompressionJpeg
        && directory.PlanarConfig == 1
        && directory.BitsPerSample.All(b => b == 8)
        && ((directory.SamplesPerPixel == 1 && directory.Photometric is TiffDirectory.PhotometricMinIsBlack)
            || (directory.SamplesPerPixel == 3 && directory.Photometric is TiffDirectory.PhotometricRgb or TiffDirectory.PhotometricYCbCr));
}
