namespace Tessera.Server.Hosting;

/// <summary>Which derivative caches the server keeps (<c>--cache</c>).</summary>
public enum CacheMode
{
    /// <summary>Render every request: for measuring uncached speed.</summary>
    None,

    /// <summary>A bounded in-memory cache only.</summary>
    Memory,

    /// <summary>A bounded on-disk cache only.</summary>
    Disk,

    /// <summary>Memory in front of disk (the default).</summary>
    Both,
}
