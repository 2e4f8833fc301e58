using Tessera.Imaging.Caching;
using Tessera.Imaging.Sources;
using Tessera.Imaging.Tiff;

namespace Tessera.Imaging.Rendering;

/// <summary>
/// Which stored JPEG tiles of which file versions are known to decode cleanly: a bit per tile of a level, so each
/// tile is checked once per version of its file (<see cref="JpegTileRenderer.VerifyTiles"/>), not once per request.
/// Bounded by the number of levels remembered (a bit set is an eighth of a byte per tile: 19 KB for the 150,000 tiles
/// of a 100,000² level); a level forgotten is checked again, which costs time, never correctness.
/// </summary>
/// <param name="levels">How many levels (file version and page) are remembered.</param>
public sealed class VerifiedTiles(int levels = 1024)
{
    private readonly LruCache<string, long[]> _bits = new(levels);

    /// <summary>The bits of <paramref name="directory"/>'s tiles in this version of the file (all clear the first time).</summary>
    public long[] For(ResolvedSource source, TiffDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(directory);
        var key = $"{source.Path}\n{source.Version}\n{directory.Page}";
        if (_bits.TryGet(key, out var bits))
        {
            return bits;
        }

        // Two requests may each make a set for a new level; the one kept wins, and the other's bits are only lost work.
        bits = new long[((long)directory.TilesAcross * directory.TilesDown + 63) / 64];
        _bits.Set(key, bits);
        return bits;
    }

    /// <summary>Whether tile <paramref name="index"/> (row-major) is known good.</summary>
    public static bool IsVerified(long[] bits, int index)
    {
        ArgumentNullException.ThrowIfNull(bits);
        return (Volatile.Read(ref bits[index >> 6]) & (1L << (index & 63))) != 0;
    }

    /// <summary>Marks tile <paramref name="index"/> known good.</summary>
    public static void MarkVerified(long[] bits, int index)
    {
        ArgumentNullException.ThrowIfNull(bits);
        Interlocked.Or(ref bits[index >> 6], 1L << (index & 63));
    }

    /// <summary>Forgets every level of a path (a purge).</summary>
    public int Forget(string path) => _bits.RemoveWhere(k => k.StartsWith(path + "\n", StringComparison.Ordinal));
}
