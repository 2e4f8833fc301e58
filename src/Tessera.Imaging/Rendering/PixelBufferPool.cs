using Tessera.Vips;

namespace Tessera.Imaging.Rendering;

/// <summary>
/// Reusable native pixel buffers for the reducer. A render needs several megabytes of source, intermediate and target
/// pixels; taking them from here spares the allocator and the page faults of fresh memory on most requests, while the
/// bytes held between requests stay under <see cref="MaxHeldBytes"/> (a buffer that does not fit is freed at once).
/// </summary>
public sealed class PixelBufferPool(long maxHeldBytes = 16L << 20) : IDisposable
{
    /// <summary>Sizes are rounded up to this, so nearby sizes share buffers.</summary>
    private const int Granule = 1 << 20;

    private readonly Lock _lock = new();
    private readonly List<NativeBuffer> _free = [];
    private long _heldBytes;

    public long MaxHeldBytes { get; } = maxHeldBytes;

    /// <summary>Bytes held by the pool right now (buffers not rented).</summary>
    public long HeldBytes
    {
        get
        {
            lock (_lock)
            {
                return _heldBytes;
            }
        }
    }

    /// <summary>A buffer of at least <paramref name="bytes"/> bytes (contents undefined); give it back with <see cref="Return"/>.</summary>
    public NativeBuffer Rent(int bytes)
    {
        lock (_lock)
        {
            var best = -1;
            for (var i = 0; i < _free.Count; i++)
            {
                if (_free[i].Length >= bytes && (best < 0 || _free[i].Length < _free[best].Length))
                {
                    best = i;
                }
            }

            if (best >= 0)
            {
                var buffer = _free[best];
                _free.RemoveAt(best);
                _heldBytes -= buffer.Length;
                return buffer;
            }
        }

        return new NativeBuffer(bytes > int.MaxValue - Granule ? bytes : (bytes + Granule - 1) / Granule * Granule);
    }

    public void Return(NativeBuffer buffer)
    {
        if (buffer.Length > MaxHeldBytes)
        {
            buffer.Dispose();
            return;
        }

        lock (_lock)
        {
            // Make room by freeing the smallest first: the larger serve any request a smaller one would.
            while (_heldBytes + buffer.Length > MaxHeldBytes && _free.Count > 0)
            {
                var smallest = 0;
                for (var i = 1; i < _free.Count; i++)
                {
                    if (_free[i].Length < _free[smallest].Length)
                    {
                        smallest = i;
                    }
                }

                _heldBytes -= _free[smallest].Length;
                _free[smallest].Dispose();
                _free.RemoveAt(smallest);
            }

            _free.Add(buffer);
            _heldBytes += buffer.Length;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _free.ForEach(b => b.Dispose());
            _free.Clear();
            _heldBytes = 0;
        }
    }
}
