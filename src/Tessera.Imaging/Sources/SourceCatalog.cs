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

    /// <summary>
    /// The source's facts, or 400/404 for a bad or unknown identifier, 500 for a file that is not a readable image, 503
    /// (<see cref="Changing"/>) for one that was replaced or written while it was read, twice in a row. Facts are kept
    /// only when the file is still the version resolved once they are read, so they never mix two versions.
    /// </summary>
    public Outcome<SourceDescription> Describe(string identifier)
    {
        for (var attempt = 1; ; attempt++)
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
            catch (Exception e) when (e is VipsException or IOException && source.IsChanging(Settle))
            {
                // Read while it was being written: the next attempt sees the new version, or the client is asked to wait.
                if (attempt < 2)
                {
                    continue;
                }

                return Changing(identifier);
            }
            catch (VipsException e)
            {
                return Unreadable(identifier, e);
            }

            if (!source.IsCurrent())
            {
                if (attempt < 2)
                {
                    continue;
                }

                return Changing(identifier);
            }

            _descriptions.Set(key, description);
            return description;
        }
    }

    /// <summary>
    /// How long after its last modification a file that fails to read is taken to be still being written (a copy in
    /// place, an upload): answered 503 "try again" rather than 500 "damaged".
    /// </summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    /// <summary>The answer for a source replaced or written while it was read: 503, to be asked again in a moment (never cached).</summary>
    public static IiifError Changing(string identifier) =>
        new(503, "identifier", $"The image \"{identifier}\" changed while it was read (it is being replaced or written); try again");

    /// <summary>Whether <paramref name="error"/> is <see cref="Changing"/>: worth one more attempt with the new version.</summary>
    public static bool IsChanging(IiifError error) =>
        error is { Status: 503, Parameter: "identifier" } && error.Message.Contains("changed while it was read", StringComparison.Ordinal);

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
