namespace Tessera.Imaging.Caching;

/// <summary>
/// A thread-safe least-recently-used map bounded by total weight (bytes, or 1 per entry for a count bound).
/// Entries heavier than the whole bound are not kept.
/// </summary>
public sealed class LruCache<TKey, TValue>
    where TKey : notnull
{
    private readonly Dictionary<TKey, LinkedListNode<Entry>> _map;
    private readonly LinkedList<Entry> _order = new();
    private readonly Func<TValue, long> _weigh;
    private readonly Lock _lock = new();
    private long _weight;

    private readonly Action<TKey, TValue>? _evicted;
    private long _evictions;

    /// <param name="capacity">The most total weight kept.</param>
    /// <param name="weigh">An entry's weight; 1 by default (a count bound).</param>
    /// <param name="evicted">Called, under the cache's lock, with each entry that leaves it (evicted for room, or removed; not when its key is set again): keep it cheap.</param>
    /// <param name="comparer">Key equality.</param>
    public LruCache(long capacity, Func<TValue, long>? weigh = null, Action<TKey, TValue>? evicted = null, IEqualityComparer<TKey>? comparer = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        Capacity = capacity;
        _weigh = weigh ?? (_ => 1);
        _evicted = evicted;
        _map = new Dictionary<TKey, LinkedListNode<Entry>>(comparer);
    }

    public long Capacity { get; private set; }

    /// <summary>The summed weight of the entries held now.</summary>
    public long Weight
    {
        get
        {
            lock (_lock)
            {
                return _weight;
            }
        }
    }

    /// <summary>Entries that left to make room (or were too heavy to keep) so far; removals and purges are not counted.</summary>
    public long Evictions => Interlocked.Read(ref _evictions);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _map.Count;
            }
        }
    }

    public bool TryGet(TKey key, out TValue value)
    {
        lock (_lock)
        {
            if (_map.TryGetValue(key, out var node))
            {
                _order.Remove(node);
                _order.AddFirst(node);
                value = node.Value.Value;
                return true;
            }
        }

        value = default!;
        return false;
    }

    public void Set(TKey key, TValue value)
    {
        var weight = _weigh(value);
        lock (_lock)
        {
            // Replacing a key is not a departure: the old value is not reported (a rewritten file is the same file).
            if (_map.Remove(key, out var old))
            {
                _order.Remove(old);
                _weight -= old.Value.Weight;
            }

            if (weight > Capacity)
            {
                Interlocked.Increment(ref _evictions);
                _evicted?.Invoke(key, value);
                return;
            }

            _map[key] = _order.AddFirst(new Entry(key, value, weight));
            _weight += weight;
            while (_weight > Capacity && _order.Last is { } last)
            {
                RemoveLocked(last.Value.Key);
                Interlocked.Increment(ref _evictions);
            }
        }
    }

    /// <summary>Changes the bound (a disk cache whose filesystem filled up), evicting least recently used entries until the weight fits.</summary>
    public void Resize(long capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        lock (_lock)
        {
            Capacity = capacity;
            EvictLocked(0);
        }
    }

    /// <summary>Evicts least recently used entries until <paramref name="weight"/> more fits (before a disk write, so the room exists when it lands).</summary>
    public void MakeRoom(long weight)
    {
        lock (_lock)
        {
            EvictLocked(weight);
        }
    }

    public bool Remove(TKey key)
    {
        lock (_lock)
        {
            return RemoveLocked(key);
        }
    }

    /// <summary>Removes every entry whose key matches.</summary>
    public int RemoveWhere(Func<TKey, bool> predicate)
    {
        lock (_lock)
        {
            var doomed = _map.Keys.Where(predicate).ToList();
            foreach (var key in doomed)
            {
                RemoveLocked(key);
            }

            return doomed.Count;
        }
    }

    private void EvictLocked(long room)
    {
        while (_weight + room > Capacity && _order.Last is { } last)
        {
            RemoveLocked(last.Value.Key);
            Interlocked.Increment(ref _evictions);
        }
    }

    private bool RemoveLocked(TKey key)
    {
        if (!_map.Remove(key, out var node))
        {
            return false;
        }

        _order.Remove(node);
        _weight -= node.Value.Weight;
        _evicted?.Invoke(node.Value.Key, node.Value.Value);
        return true;
    }

    private sealed record Entry(TKey Key, TValue Value, long Weight);
}
