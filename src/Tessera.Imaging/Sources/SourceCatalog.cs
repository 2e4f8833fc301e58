using Tessera.Core.Iiif;
using Tessera.Imaging.Caching;
using Tessera.Vips;

namespace Tessera.Imaging.Sources;

/// <summary>
/// Resolves identifiers and reads each source's facts once: descriptions are cached by path and file version, so a
/// file replaced on disk is read anew.
/// </summary>
public sealed class SourceCatalog(ISourceResolver resolver, int capacity = 4096)
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
        catch (VipsException e)
        {
            return Unreadable(identifier, e);
        }

        _descriptions.Set(key, description);
        return description;
    }

    /// <summary>Forgets what was read of the file at <paramref name="path"/> (a purge).</summary>
    public int Forget(string path) => _descriptions.RemoveWhere(k => k.StartsWith(path + "\n", StringComparison.Ordinal));

    internal static IiifError Unreadable(string identifier, VipsException e) =>
        new(500, "identifier", $"The image \"{identifier}\" could not be read: {FirstLine(e.NativeMessage.Length > 0 ? e.NativeMessage : e.Message)}");

    private static string FirstLine(string text)
    {
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? text : text[..newline];
    }
}
