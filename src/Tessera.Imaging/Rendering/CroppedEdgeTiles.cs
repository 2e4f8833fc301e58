using Tessera.Imaging.Caching;
using Tessera.Imaging.Sources;
using Tessera.Imaging.Tiff;

namespace Tessera.Imaging.Rendering;

/// <summary>
/// Stored tiles of a pyramid's right edge as sent: narrower than the stored tile, so their entropy-coded data is cut
/// (<c>JpegEntropyCropper</c>: every block of the tile is Huffman-decoded to find where the kept ones are), about
/// 0.4-0.7 ms each against 0.08 ms for a tile sent as stored. Kept per file version (the key holds the version, so a
/// replaced file is never answered from here), at most <see cref="DefaultBytes"/> in all, least recently used first
/// out: the right edge of a 20,000 px pyramid is about 160 tiles of a few KB. Tiles cut only in height need no memo
/// (their frame is shortened, nothing is decoded). iipsrv, the peer, keeps its whole tiles in a 10 MB memory cache by
/// default.
/// </summary>
/// <param name="bytes">The most bytes kept.</param>
public sealed class CroppedEdgeTiles(long bytes = CroppedEdgeTiles.DefaultBytes)
{
    public const long DefaultBytes = 8L * 1024 * 1024;

    private readonly LruCache<string, byte[]> _tiles = new(bytes, jpeg => jpeg.Length);

    /// <summary>
    /// The key of tile <paramref name="column"/>, <paramref name="row"/> of <paramref name="directory"/> in this version
    /// of the file when it is a tile this keeps (narrower than stored), else null.
    /// </summary>
    public static string? KeyOf(ResolvedSource source, TiffDirectory directory, int column, int row)
    {
        ArgumentNullException.ThrowIfNull(source);
        return JpegTilePassthrough.TryGetTileGeometry(directory, column, row, out var geometry) && geometry.Width < directory.TileWidth
            ? $"{source.Path}\n{source.Version}\n{directory.Page}\n{directory.SubIfd}\n{geometry.Index}"
            : null;
    }

    public bool TryGet(string key, out byte[] jpeg) => _tiles.TryGet(key, out jpeg!);

    public void Add(string key, byte[] jpeg) => _tiles.Set(key, jpeg);

    /// <summary>Bytes held now.</summary>
    public long Bytes => _tiles.Weight;
}
