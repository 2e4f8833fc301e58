namespace Tessera.Vips;

/// <summary>What a <see cref="FileStatus"/> describes (the S_IFMT bits of its mode).</summary>
public enum FileKind
{
    /// <summary>A FIFO, socket, device: never an image.</summary>
    Other,
    Regular,
    Directory,

    /// <summary>A symbolic link, seen only when links are not followed.</summary>
    Link,
}
