using System.Diagnostics;
using System.IO.Enumeration;

namespace Tessera.Imaging.Sources;

/// <summary>
/// One bounded walk of the folders under a root, for listings. It never leaves the root (a symbolic link is followed
/// only when its fully resolved target is inside the real root), never enters a folder twice (a folder is known by its
/// identity, so <c>ln -s . a</c> or <c>a → b → a</c> add nothing), and stops at <see cref="ListingLimits"/> or when
/// cancelled, answering what it found so far. Loops, links out of the root and unreadable folders are left out and
/// reported in <see cref="SourceListing.Skipped"/>; nothing here throws for what is on the disk.
/// </summary>
/// <remarks>
/// Plain folders are walked before folders reached through links, so an image reachable both ways is listed under its
/// own path, not an alias's.
/// </remarks>
internal sealed class DirectoryWalk
{
    /// <summary>Links followed while resolving one path before it is called a loop (Linux's own limit, ELOOP).</summary>
    private const int MaxLinkHops = 40;

    private static readonly EnumerationOptions Options = new()
    {
        IgnoreInaccessible = false,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
        AttributesToSkip = FileAttributes.Hidden,
    };

    private readonly string _root;
    private readonly ListingLimits _limits;
    private readonly Func<string, bool> _wanted;

    /// <param name="root">The folder listed; its real path is taken, so a root reached through a link still works.</param>
    /// <param name="limits">Depth, entries and time the walk may take.</param>
    /// <param name="wanted">Whether a file's identifier (its path relative to the root, <c>/</c>-separated) is listed.</param>
    public DirectoryWalk(string root, ListingLimits limits, Func<string, bool> wanted)
    {
        _root = RealPath(Path.GetFullPath(root), out _) ?? Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        _limits = limits;
        _wanted = wanted;
    }

    /// <summary>The identifiers of the wanted files, in natural order, with what was skipped and whether it was cut short.</summary>
    public SourceListing Run(CancellationToken cancellationToken)
    {
        var found = new List<string>();
        var skipped = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { IdentityOf(_root) };
        var plain = new Stack<Folder>();
        var linked = new Queue<Folder>();
        plain.Push(new Folder(string.Empty, _root, 0));
        var clock = Stopwatch.StartNew();
        var entries = 0;
        string? truncated = null;
        var stopped = false;

        while (!stopped && NextFolder(plain, linked, seen, skipped, out var folder))
        {
            // Links to folders are queued in name order, so which alias of a folder is listed does not depend on the
            // order the file system happens to return names in.
            var links = new List<Folder>();
            using var enumerator = Enumerate(folder.Real).GetEnumerator();
            while (true)
            {
                if (StopReason(clock, cancellationToken) is { } reason)
                {
                    truncated = reason;
                    stopped = true;
                    break;
                }

                Entry entry;
                try
                {
                    if (!enumerator.MoveNext())
                    {
                        break;
                    }

                    entry = enumerator.Current;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
                {
                    skipped.Add($"{Shown(folder.Relative)}: an unreadable folder ({e.GetType().Name})");
                    break;
                }

                if (++entries > _limits.MaxEntries)
                {
                    truncated = $"the listing stopped after {_limits.MaxEntries} entries (ListingMaxEntries)";
                    stopped = true;
                    break;
                }

                var relative = folder.Relative.Length == 0 ? entry.Name : folder.Relative + "/" + entry.Name;
                var path = Path.Join(folder.Real, entry.Name);
                var isDirectory = entry.IsDirectory;
                var real = path;
                if (entry.IsLink)
                {
                    var target = RealPath(path, out var problem);
                    if (target is null)
                    {
                        skipped.Add($"{relative}: {problem}");
                        continue;
                    }

                    if (!IsInside(target))
                    {
                        skipped.Add($"{relative}: a link out of the root");
                        continue;
                    }

                    real = target;
                    isDirectory = Directory.Exists(target);
                }

                if (!isDirectory)
                {
                    if (_wanted(relative))
                    {
                        found.Add(relative);
                    }

                    continue;
                }

                if (folder.Depth + 1 > _limits.MaxDepth)
                {
                    truncated ??= $"folders deeper than {_limits.MaxDepth} levels were not listed (ListingMaxDepth), the first at \"{relative}\"";
                    continue;
                }

                var next = new Folder(relative, real, folder.Depth + 1);
                if (entry.IsLink)
                {
                    links.Add(next);
                }
                else if (seen.Add(IdentityOf(real)))
                {
                    plain.Push(next);
                }
                else
                {
                    skipped.Add($"{relative}: a folder already listed (a mount seen twice)");
                }
            }

            links.Sort((a, b) => string.CompareOrdinal(a.Relative, b.Relative));
            links.ForEach(linked.Enqueue);
        }

        found.Sort(NaturalStringComparer.Instance);
        return new SourceListing(found, truncated, skipped);
    }

    /// <summary>
    /// The fully resolved real path of an absolute <paramref name="path"/> (every link in every component followed, like
    /// <c>realpath(3)</c>), or null with the reason: a loop of links, a broken link, an unreadable component.
    /// </summary>
    internal static string? RealPath(string path, out string? problem)
    {
        problem = null;
        var pending = new Stack<string>();
        PushComponents(pending, path);
        var current = "/";
        var hops = 0;
        while (pending.TryPop(out var part))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? "/";
                continue;
            }

            var next = Path.Join(current, part);
            string? target;
            try
            {
                target = new FileInfo(next).LinkTarget;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problem = $"an unreadable path ({e.GetType().Name})";
                return null;
            }

            if (target is null)
            {
                current = next;
                continue;
            }

            if (++hops > MaxLinkHops)
            {
                problem = "a loop of symbolic links";
                return null;
            }

            if (Path.IsPathRooted(target))
            {
                current = "/";
            }

            PushComponents(pending, target);
        }

        if (!Path.Exists(current))
        {
            problem = "a broken link";
            return null;
        }

        return current;
    }

    /// <summary>
    /// What makes two folders the same: their device and inode, which also catches a folder mounted twice (a bind
    /// mount) under two real paths; the real path when the file system will not say (the folder vanished meanwhile).
    /// </summary>
    private static string IdentityOf(string realPath) =>
        Tessera.Vips.FileStatus.TryGet(realPath, followLinks: true, out var status) ? $"{status.Device}:{status.Inode}" : realPath;

    private static void PushComponents(Stack<string> pending, string path)
    {
        var parts = path.Split('/');
        for (var i = parts.Length - 1; i >= 0; i--)
        {
            pending.Push(parts[i]);
        }
    }

    private static IEnumerable<Entry> Enumerate(string folder) =>
        new FileSystemEnumerable<Entry>(
            folder,
            (ref FileSystemEntry e) => new Entry(e.FileName.ToString(), e.IsDirectory, (e.Attributes & FileAttributes.ReparsePoint) != 0),
            Options);

    /// <summary>The next folder to walk: plain ones first, then those reached through links, each only once.</summary>
    private static bool NextFolder(Stack<Folder> plain, Queue<Folder> linked, HashSet<string> seen, List<string> skipped, out Folder folder)
    {
        if (plain.TryPop(out folder!))
        {
            return true;
        }

        while (linked.TryDequeue(out folder!))
        {
            if (seen.Add(IdentityOf(folder.Real)))
            {
                return true;
            }

            skipped.Add($"{folder.Relative}: a link to a folder already listed (a loop or an alias)");
        }

        return false;
    }

    private string? StopReason(Stopwatch clock, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return "the listing was cancelled";
        }

        if (clock.Elapsed > _limits.MaxDuration)
        {
            return $"the listing stopped after {_limits.MaxDuration.TotalSeconds:0.#} s (ListingMaxSeconds)";
        }

        return null;
    }

    private bool IsInside(string realPath) =>
        realPath == _root || realPath.StartsWith(_root + "/", StringComparison.Ordinal);

    private static string Shown(string relative) => relative.Length == 0 ? "(the root)" : relative;

    private sealed record Folder(string Relative, string Real, int Depth);

    private readonly record struct Entry(string Name, bool IsDirectory, bool IsLink);
}
