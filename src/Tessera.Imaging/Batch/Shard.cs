using System.Text;

namespace Tessera.Imaging.Batch;

/// <summary>
/// One part of a batch split across workers: <c>--shard i/n</c> with <c>0 ≤ i &lt; n</c>, numbered from 0 as job runners
/// number their workers (Kubernetes <c>JOB_COMPLETION_INDEX</c>, AWS Batch <c>AWS_BATCH_JOB_ARRAY_INDEX</c>). Work items
/// are assigned by a stable hash of their key (a tile's path, a master's relative path), so the parts are disjoint,
/// their union is the whole, and the assignment does not depend on the order or number of identifiers given.
/// </summary>
public readonly record struct Shard(int Index, int Count)
{
    /// <summary>The whole job in one part.</summary>
    public static Shard All { get; } = new(0, 1);

    /// <summary>Parses <c>i/n</c>.</summary>
    public static bool TryParse(string? text, out Shard shard, out string? error)
    {
        shard = All;
        error = null;
        var parts = text?.Split('/') ?? [];
        if (parts.Length != 2 || !int.TryParse(parts[0], out var index) || !int.TryParse(parts[1], out var count))
        {
            error = $"Expected i/n for --shard (e.g. 0/4) but received \"{text}\"";
            return false;
        }

        if (count < 1 || index < 0 || index >= count)
        {
            error = $"Expected 0 <= i < n for --shard i/n but received \"{text}\"";
            return false;
        }

        shard = new Shard(index, count);
        return true;
    }

    /// <summary>Why this part is not a part of a whole (for options validators), or null when 0 &lt;= i &lt; n.</summary>
    internal string? Problem() =>
        Count < 1 || Index < 0 || Index >= Count ? $"Expected 0 <= i < n for Shard i/n but received {this}" : null;

    /// <summary>Whether this part does the item with this key.</summary>
    public bool Owns(string key) => Count == 1 || (int)(Fnv1a(key) % (ulong)Count) == Index;

    /// <summary>A name for files this part alone writes, e.g. <c>shard-0-of-4</c>.</summary>
    public string Tag => $"shard-{Index}-of-{Count}";

    public override string ToString() => $"{Index}/{Count}";

    // FNV-1a over UTF-8: stable across processes, machines and .NET versions (string.GetHashCode is randomised).
    private static ulong Fnv1a(string key)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(key))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }
}
