using Tessera.Core.Iiif;

namespace Tessera.Imaging.Sources;

/// <summary>
/// Identifiers are paths relative to a root folder, extension included (<c>maps/1850.tif</c>). Anything that could
/// point outside the root is refused before the file system is asked: absolute paths, <c>..</c> and <c>.</c>
/// segments, backslashes, NUL and control characters; symbolic links are followed only while they stay inside.
/// </summary>
public sealed class FileSystemSourceResolver : ISourceResolver
{
    private static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".tif", ".tiff", ".ptif", ".jpg", ".jpeg", ".png", ".webp", ".gif", ".jp2", ".j2k", ".jpx", ".heic", ".heif", ".avif",
    };

    private readonly string _root;

    public FileSystemSourceResolver(string root)
    {
        var full = Path.GetFullPath(root);
        if (!Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"Expected an existing folder for the image root but received \"{root}\"");
        }

        // Compare against the real root, so a root that is itself a symlink still works.
        _root = Path.TrimEndingDirectorySeparator(new DirectoryInfo(full).ResolveLinkTarget(true)?.FullName ?? full);
    }

    public string Root => _root;

    /// <summary>
    /// How long the walk from identifier to real path (a stat and a readlink per segment) is trusted. The file itself is
    /// still looked at on every request, so a replaced or rewritten file is noticed at once; only a symbolic link
    /// re-pointed within this time keeps its old (checked, inside-the-root) target that long.
    /// </summary>
    public static readonly TimeSpan PathTrust = TimeSpan.FromSeconds(5);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string Path, long Until)> _paths = new(StringComparer.Ordinal);

    public Outcome<ResolvedSource> Resolve(string identifier)
    {
        var problem = IdentifierProblem(identifier);
        if (problem is not null)
        {
            return IiifError.BadRequest("identifier", problem);
        }

        if (_paths.TryGetValue(identifier, out var known) && Environment.TickCount64 < known.Until)
        {
            var file = new FileInfo(known.Path);
            if (file.Exists)
            {
                return new ResolvedSource(identifier, file.FullName, file.LastWriteTimeUtc, file.Length);
            }
        }

        var resolved = Walk(identifier);
        if (resolved.TryGetValue(out var source, out _))
        {
            if (_paths.Count > 100_000)
            {
                _paths.Clear();
            }

            _paths[identifier] = (source.Path, Environment.TickCount64 + (long)PathTrust.TotalMilliseconds);
        }
        else
        {
            _paths.TryRemove(identifier, out _);
        }

        return resolved;
    }

    private Outcome<ResolvedSource> Walk(string identifier)
    {
        var current = _root;
        foreach (var segment in identifier.Split('/'))
        {
            var next = Path.Combine(current, segment);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (!info.Exists)
            {
                return NotFound(identifier);
            }

            if (info.LinkTarget is not null)
            {
                var target = info.ResolveLinkTarget(returnFinalTarget: true);
                if (target is null || !target.Exists || !IsInsideRoot(target.FullName))
                {
                    return NotFound(identifier);
                }

                next = target.FullName;
            }

            current = next;
        }

        var file = new FileInfo(current);
        if (!file.Exists || (file.Attributes & FileAttributes.Directory) != 0)
        {
            return NotFound(identifier);
        }

        return new ResolvedSource(identifier, file.FullName, file.LastWriteTimeUtc, file.Length);
    }

    public IEnumerable<string> List()
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden };
        return Directory.EnumerateFiles(_root, "*", options)
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f)))
            .Select(f => Path.GetRelativePath(_root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(id => IdentifierProblem(id) is null)
            .Order(NaturalStringComparer.Instance);
    }

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

    private static IiifError NotFound(string identifier) =>
        IiifError.NotFound("identifier", $"No image with identifier \"{identifier}\"");
}
