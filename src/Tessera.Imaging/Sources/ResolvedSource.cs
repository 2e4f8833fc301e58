namespace Tessera.Imaging.Sources;

/// <summary>An identifier resolved to a readable file, with what is needed to notice it changed.</summary>
/// <param name="Identifier">The IIIF identifier, decoded.</param>
/// <param name="Path">The absolute path of the file, inside the source root.</param>
/// <param name="LastModified">The file's modification time (UTC).</param>
/// <param name="Length">The file's size in bytes.</param>
public sealed record ResolvedSource(string Identifier, string Path, DateTimeOffset LastModified, long Length)
{
    /// <summary>Changes whenever the file is replaced or rewritten; part of every cache key built from this source.</summary>
    public string Version => $"{LastModified.UtcTicks:x}-{Length:x}";
}
