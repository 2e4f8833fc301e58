using Tessera.Core.Iiif;
using Tessera.Vips;

namespace Tessera.Imaging.Sources;

/// <summary>
/// Identifiers are paths relative to a root folder, extension included (<c>maps/1850.tif</c>). Anything that could
/// point outside the root is refused before the file system is asked: absolute paths, <c>..</c> and <c>.</c>
/// segments, backslashes, NUL and control characters. Symbolic links (to files or folders, at any depth, however
/// chained) are followed by the kernel, and the file is served only when what was opened really lies inside the root.
/// </summary>
public sealed class FileSystemSourceResolver : ISourceResolver
{
    private static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".tif", ".tiff", ".ptif", ".jpg", ".jpeg", ".png", ".webp", ".gif", ".jp2", ".j2k", ".jpx", ".jph", ".heic", ".heif", ".avif", ".jxl", ".pdf",
        ".svs", ".ndpi", ".mrxs", ".scn", ".vms", ".vmu", ".bif", ".svslide",
    };

    private readonly string _root;

    /// <exception cref="DirectoryNotFoundException">The root is not an existing folder.</exception>
    /// <exception cref="PlatformNotSupportedException">Opened files cannot be located (<c>/proc</c> is not mounted).</exception>
    public FileSystemSourceResolver(string root)
    {
        var full = Path.GetFullPath(root);
        if (!Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"Expected an existing folder for the image root but received \"{root}\"");
        }

        // The kernel's own name of the root, every link in it resolved: what the path of every opened file is compared with.
        using var opened = NativeFile.TryOpenRead(full, out var error)
            ?? throw new DirectoryNotFoundException($"Expected a readable folder for the image root but received \"{root}\" ({error})");
        _root = Path.TrimEndingDirectorySeparator(NativeFile.PathOf(opened)
            ?? throw new PlatformNotSupportedException($"Expected /proc/self/fd to tell where opened files are (Linux with /proc mounted) for the image root \"{root}\""));
    }

    public string Root => _root;

    /// <summary>
    /// Opens the file the identifier names, following links, and checks what was opened: a regular file whose real path
    /// (the kernel's, of the open handle) is inside the root. No walk is trusted between requests, and no check can be
    /// raced: what is checked is the opened file itself. The source carries that handle's status (inode, size, mtime,
    /// ctime), its version. A loop of links answers 404 and is marked for the server's log.
    /// </summary>
    public Outcome<ResolvedSource> Resolve(string identifier)
    {
        var problem = IdentifierProblem(identifier);
        if (problem is not null)
        {
            return IiifError.BadRequest("identifier", problem);
        }

        // A file replaced (renamed over) between its open and the look at where it is shows as deleted: look again.
        for (var attempt = 1; ; attempt++)
        {
            var resolved = Open(identifier, out var replaced);
            if (!replaced)
            {
                return resolved;
            }

            if (attempt == 3)
            {
                return SourceCatalog.Changing(identifier);
            }
        }
    }

    private Outcome<ResolvedSource> Open(string identifier, out bool replaced)
    {
        replaced = false;

        // A look first, so a FIFO, a device or a folder under an image's name is refused without being opened.
        var path = _root + "/" + identifier;
        if (!FileStatus.TryGet(path, followLinks: true, out var seen, out var error))
        {
            return Refused(identifier, error);
        }

        if (seen.Kind != FileKind.Regular)
        {
            return NotFound(identifier);
        }

        using var handle = NativeFile.TryOpenRead(path, out error);
        if (handle is null)
        {
            return Refused(identifier, error);
        }

        var status = FileStatus.Of(handle);
        var real = NativeFile.PathOf(handle);
        if (status.Kind != FileKind.Regular || real is null || !IsInsideRoot(real))
        {
            return NotFound(identifier);
        }

        // The kernel's mark of an unlinked file (unless a file is really named so).
        if (real.EndsWith(" (deleted)", StringComparison.Ordinal) && !(FileStatus.TryGet(real, followLinks: false, out var named) && named.SameFileAs(status)))
        {
            replaced = true;
            return NotFound(identifier);
        }

        return new ResolvedSource(identifier, real, status.LastModified, status.Size) { Status = status };
    }

    /// <summary>How far <see cref="List"/> may walk: depth, entries and time.</summary>
    public ListingLimits Listing { get; init; } = ListingLimits.Default;

    /// <inheritdoc/>
    /// <remarks>
    /// A <see cref="DirectoryWalk"/>: links are followed only to inside the root, each folder once, within
    /// <see cref="Listing"/>; hidden files and names that are not identifiers are left out.
    /// </remarks>
    public SourceListing List(CancellationToken cancellationToken = default) =>
        new DirectoryWalk(_root, Listing, id => ImageExtensions.Contains(Path.GetExtension(id)) && IdentifierProblem(id) is null).Run(cancellationToken);

    /// <inheritdoc/>
    /// <remarks>Reads the root's first entry (one directory read, no walk): a renamed, unmounted or refused root fails.</remarks>
    public string? RootProblem()
    {
        try
        {
            using var entries = Directory.EnumerateFileSystemEntries(_root).GetEnumerator();
            entries.MoveNext();
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"Expected a readable image root at \"{_root}\" but {e.Message}";
        }
    }

    /// <inheritdoc/>
    /// <remarks>The rules of <see cref="RelativeIdentifier"/>: a relative path without <c>..</c>, <c>.</c> or empty segments.</remarks>
    public string? IdentifierProblem(string identifier) => RelativeIdentifier.Problem(identifier);

    private bool IsInsideRoot(string path) =>
        path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || path == _root;

    private static IiifError Refused(string identifier, FileError error) => error == FileError.Loop
        ? IiifError.NotFound("identifier", $"No image with identifier \"{identifier}\": its path runs into a loop of symbolic links") with { Warn = true }
        : NotFound(identifier);

    private static IiifError NotFound(string identifier) =>
        IiifError.NotFound("identifier", $"No image with identifier \"{identifier}\"");
}
