using Tessera.Imaging.Caching;
using Tessera.Vips;

namespace Tessera.Imaging.Colour;

/// <summary>
/// The LittleCMS transforms of the profiles sources carry, one per (profile, pixel kind), built on first use and shared
/// by every request after: a collection holds few distinct profiles (a camera's, Adobe RGB, eciRGB), and building a
/// transform costs milliseconds where running one on a tile costs a fraction of one. Thread-safe and bounded (least
/// recently used entries leave first).
/// </summary>
/// <remarks>
/// <para>
/// A profile that cannot be built (damaged, of another colour space than the pixels, lacking the relative colorimetric
/// intent) is remembered as such: <c>Get</c> answers null at once, and the caller keeps to libvips'
/// <c>icc_transform</c>, which has its own fallbacks.
/// </para>
/// <para>
/// An evicted transform is not disposed by the cache: a caller may have it in hand (between <c>Get</c> and its
/// last <see cref="ColourTransform.Transform"/> call) and must not find it freed. It is released when the last holder
/// drops it (its handle's finalizer deletes the LittleCMS transform). A lease that callers return would free it sooner,
/// but would make every caller responsible for a release; with a bound well above the profiles a collection uses,
/// evictions are rare, and an evicted transform weighs tens to hundreds of KB.
/// </para>
/// </remarks>
public sealed class ColourTransformCache
{
    public const int DefaultCapacity = 64;

    private readonly LruCache<(string Hash, ColourTransformKind Kind), Lazy<ColourTransform?>> _entries;

    // Makes the look-up and the insertion of a new entry one step, so two first requests for a profile share one build.
    private readonly Lock _lock = new();

    private long _hits;
    private long _builds;
    private long _failures;

    /// <param name="capacity">The most (profile, kind) entries kept, failed ones included.</param>
    public ColourTransformCache(int capacity = DefaultCapacity)
    {
        if (capacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, $"Expected at least 1 for capacity but received {capacity}");
        }

        _entries = new LruCache<(string, ColourTransformKind), Lazy<ColourTransform?>>(capacity);
    }

    public int Capacity => (int)_entries.Capacity;

    /// <summary>Entries held now (built, being built, or failed).</summary>
    public int Count => _entries.Count;

    /// <summary><c>Get</c> calls answered by an entry already there (built, being built, or failed).</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Transforms built or attempted (a profile evicted and asked for again is built again).</summary>
    public long Builds => Interlocked.Read(ref _builds);

    /// <summary>Builds that failed (<c>Get</c> answered null).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>
    /// The transform from a source's parsed profile to sRGB for <paramref name="kind"/> pixels, keyed by the profile's
    /// SHA-256 (<see cref="IccProfile.Hash"/>); null when it cannot be built. See <see cref="Get(string, ReadOnlySpan{byte}, ColourTransformKind)"/>.
    /// </summary>
    public ColourTransform? Get(IccProfile profile, ColourTransformKind kind)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return Get(profile.Hash, profile.Data.Span, kind);
    }

    /// <summary>
    /// The transform from <paramref name="profile"/> to sRGB for <paramref name="kind"/> pixels, built on the first call
    /// for (<paramref name="profileHash"/>, <paramref name="kind"/>), or null when that profile cannot be built (the
    /// caller falls back to libvips). Concurrent first calls for one key wait for one build. The profile bytes are read
    /// only when a build is needed, so <paramref name="profileHash"/> must identify them (a digest of the bytes).
    /// </summary>
    public ColourTransform? Get(string profileHash, ReadOnlySpan<byte> profile, ColourTransformKind kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(profileHash);
        var key = (profileHash, kind);
        Lazy<ColourTransform?> entry;
        lock (_lock)
        {
            if (_entries.TryGet(key, out entry))
            {
                Interlocked.Increment(ref _hits);
            }
            else
            {
                var bytes = profile.ToArray();
                entry = new Lazy<ColourTransform?>(() => Build(key, bytes), LazyThreadSafetyMode.ExecutionAndPublication);
                _entries.Set(key, entry);
            }
        }

        try
        {
            return entry.Value;
        }
        catch
        {
            // Not a verdict on the profile (out of memory, say): forget the entry, which Lazy would otherwise rethrow
            // forever, so the next request tries again.
            lock (_lock)
            {
                if (_entries.TryGet(key, out var current) && ReferenceEquals(current, entry))
                {
                    _entries.Remove(key);
                }
            }

            throw;
        }
    }

    private ColourTransform? Build((string Hash, ColourTransformKind Kind) key, byte[] profile)
    {
        Interlocked.Increment(ref _builds);
        try
        {
            return ColourTransform.Create(profile, key.Kind);
        }
        catch (ColourTransformException)
        {
            Interlocked.Increment(ref _failures);
            return null;
        }
    }
}
