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

    public LruCache(long capacity, Func<TValue, long>? weigh = null, IEqualityComparer<TKey>? comparer = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        Capacity = capacity;
        _weigh = weigh ?? (_ => 1);
        _map = new Dictionary<TKey, LinkedListNode<Entry>>(comparer);
    }

    public long Capacity { get; }

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
            RemoveLocked(key);
            if (weight > Capacity)
            {
                return;
            }

            _map[key] = _order.AddFirst(new Entry(key, value, weight));
            _weight += weight;
            while (_weight > Capacity && _order.Last is { } last)
            {
                RemoveLocked(last.Value.Key);
            }
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

    private bool RemoveLocked(TKey key)
    {
        if (!_map.Remove(key, out var node))
        {
            return false;
        }

        _order.Remove(node);
        _weight -= node.Value.Weight;
        return true;
    }

    private sealed record Entry(TKey Key, TValue Value, long Weight);
}
