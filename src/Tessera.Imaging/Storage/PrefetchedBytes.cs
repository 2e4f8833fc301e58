namespace Tessera.Imaging.Storage;

/// <summary>
/// Ranges of a source read ahead (a region's tiles, fetched at once by <see cref="RemoteBytes.ReadMany"/>) and served
/// from memory when a reader asks for exactly one of them; any other read goes to the source. Made for one render.
/// </summary>
internal sealed class PrefetchedBytes : ISourceBytes
{
    private readonly ISourceBytes _inner;
    private readonly Dictionary<(long Offset, int Count), byte[]> _ranges = [];

    /// <param name="inner">The source.</param>
    /// <param name="ranges">The ranges read ahead.</param>
    /// <param name="data">Their bytes, in the same order.</param>
    public PrefetchedBytes(ISourceBytes inner, IReadOnlyList<(long Offset, int Count)> ranges, byte[][] data)
    {
        _inner = inner;
        for (var i = 0; i < ranges.Count; i++)
        {
            _ranges[ranges[i]] = data[i];
        }
    }

    public long Length => _inner.Length;

    public string Version => _inner.Version;

    public void ReadExactly(long offset, Span<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_ranges.TryGetValue((offset, buffer.Length), out var data))
        {
            data.CopyTo(buffer);
            return;
        }

        _inner.ReadExactly(offset, buffer, cancellationToken);
    }
}
