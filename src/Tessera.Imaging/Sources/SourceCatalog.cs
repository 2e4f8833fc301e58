using Tessera.Core.Iiif;
using Tessera.Imaging.Caching;
using Tessera.Imaging.Tiff;
using Tessera.Vips;

namespace Tessera.Imaging.Sources;

/// <summary>
/// Resolves identifiers and reads each source's facts once: descriptions are cached by path and file version, so a
/// file replaced on disk is read anew.
/// </summary>
public sealed partial class SourceCatalog(ISourceResolver resolver, int capacity = 4096)
{
    private readonly LruCache<string, SourceDescription> _descriptions = new(capacity);

    public ISourceResolver Resolver { get; } = resolver;

    /// <summary>The source's facts, or 400/404 for a bad or unknown identifier, 500 for a file that is not a readable image.</summary>
    public Outcome<SourceDescription> Describe(string identifier)
    {
        if (!Resolver.Resolve(identifier).TryGetValue(out var source, out var error))
        {
            return error;
        }

        var key = $"{source.Path}\n{source.Version}";
        if (_descriptions.TryGet(key, out var description))
        {
            return description;
        }

        try
        {
            description = SourceInspector.Inspect(source);
        }
        catch (Exception e) when (IsDamage(e))
        {
            return Unreadable(identifier, source.Path, e);
        }

        _descriptions.Set(key, description);
        return description;
    }

    /// <summary>Forgets what was read of the file at <paramref name="path"/> (a purge).</summary>
    public int Forget(string path) => _descriptions.RemoveWhere(k => k.StartsWith(path + "\n", StringComparison.Ordinal));

    /// <summary>The failures that mean the source cannot be read (damaged, truncated, unreadable), as opposed to bugs.</summary>
    public static bool IsDamage(Exception e) =>
        e is VipsException or Jpeg2000Exception or JpegException or TiffFormatException or IOException or UnauthorizedAccessException;

    /// <summary>
    /// The error for a source that could not be read: 500, the body "The image "{identifier}" could not be read:
    /// {reason}", the reason without any filesystem path (libvips, libtiff and OpenJPEG put the file's path in their
    /// messages: it becomes the identifier, any other absolute path is cut); the path and the whole text go to
    /// <see cref="IiifError.Detail"/>, for the operator's log only.
    /// </summary>
    public static IiifError Unreadable(string identifier, string path, Exception e)
    {
        var native = e is VipsException { NativeMessage.Length: > 0 } v ? v.NativeMessage : e.Message;
        var reason = Clean(native, path, identifier);
        if (reason.Length == 0 || (e is VipsException { NativeMessage.Length: 0 } && e.Message.EndsWith(" failed", StringComparison.Ordinal)))
        {
            // No native text this failure could prove its own (see VipsErrorScope): say what kind of thing went wrong.
            reason = "its data could not be decoded (the file is damaged or truncated)";
        }

        return new IiifError(500, "identifier", $"The image \"{identifier}\" could not be read: {reason}")
        {
            Detail = $"{path}: {e.GetType().Name}: {e.Message}",
        };
    }

    /// <summary>At most three distinct lines of <paramref name="text"/>, joined, with <paramref name="path"/> named by its identifier and any other absolute path cut.</summary>
    internal static string Clean(string text, string path, string identifier)
    {
        var lines = new List<string>();
        foreach (var raw in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var line = raw.Replace(path, identifier, StringComparison.Ordinal);
            line = AbsolutePath().Replace(line, "(path)");
            if (!lines.Contains(line, StringComparer.Ordinal) && lines.Count < 3)
            {
                lines.Add(line);
            }
        }

        return string.Join("; ", lines);
    }

    /// <summary>An absolute path: a slash that starts a word (not inside "a/b" or a URL's "//"), then anything but spaces and quotes.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"(?<![\w.:/])/[^\s""'`]+")]
    private static partial System.Text.RegularExpressions.Regex AbsolutePath();
}
