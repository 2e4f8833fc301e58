using Tessera.Core.Iiif;
using Tessera.Imaging.Caching;
using Tessera.Vips;

namespace Tessera.Imaging.Sources;

/// <summary>
/// Resolves identifiers and reads each source's facts once: descriptions are cached by path and file version, so a
/// file replaced on disk is read anew. Each header is judged against <see cref="Limits"/> before libvips opens the file,
/// so a decompression bomb never reaches a decoder.
/// </summary>
public sealed class SourceCatalog(ISourceResolver resolver, int capacity = 4096, SourceLimits? limits = null)
{
    private readonly LruCache<string, SourceDescription> _descriptions = new(capacity);

    public ISourceResolver Resolver { get; } = resolver;

    /// <summary>What a source may cost to decode; a source over them is refused with 413 before any decoder runs.</summary>
    public SourceLimits Limits { get; } = limits ?? SourceLimits.Default;

    /// <summary>
    /// The source's facts, or 400/404 for a bad or unknown identifier, 413 for a source over <see cref="Limits"/>, 500 for
    /// a file that is not a readable image.
    /// </summary>
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

        SourceHeader header;
        try
        {
            header = HeaderProbe.Read(source.Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            header = SourceHeader.Unknown; // libvips then fails to open it too, and says why
        }

        if (Limits.Refuse(header) is { } reason)
        {
            return TooLarge(identifier, reason);
        }

        try
        {
            description = SourceInspector.Inspect(source) with { Header = header };
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

    /// <summary>413: the source (or the request) would cost more to decode than a limit allows; the reason names it.</summary>
    public static IiifError TooLarge(string identifier, string reason) => new(413, "identifier", SourceLimits.Message(identifier, reason));

    internal static IiifError Unreadable(string identifier, VipsException e) =>
        new(500, "identifier", $"The image \"{identifier}\" could not be read: {FirstLine(e.NativeMessage.Length > 0 ? e.NativeMessage : e.Message)}");

    private static string FirstLine(string text)
    {
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? text : text[..newline];
    }
}
