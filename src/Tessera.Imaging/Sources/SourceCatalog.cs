using Tessera.Core.Iiif;
using Tessera.Imaging.Caching;
using Tessera.Imaging.Storage;
using Tessera.Imaging.Tiff;
using Tessera.Vips;

namespace Tessera.Imaging.Sources;

/// <summary>
/// Resolves identifiers and reads each source's facts once: descriptions are cached by path and file version, so a
/// file replaced on disk is read anew. Each header is judged against <see cref="Limits"/> before libvips opens the file,
/// so a decompression bomb never reaches a decoder.
/// </summary>
public sealed partial class SourceCatalog(ISourceResolver resolver, int capacity = 4096, SourceLimits? limits = null)
{
    private readonly LruCache<string, SourceDescription> _descriptions = new(capacity);

    public ISourceResolver Resolver { get; } = resolver;

    /// <summary>What a source may cost to decode; a source over them is refused with 413 before any decoder runs.</summary>
    public SourceLimits Limits { get; } = limits ?? SourceLimits.Default;

    /// <summary>
    /// The source's facts, or 400/404 for a bad or unknown identifier, 413 for a source over <see cref="Limits"/>, 500 for
    /// a file that is not a readable image, 503 (<see cref="Changing"/>) for one that was replaced or written while it
    /// was read, twice in a row. Facts are kept only when the file is still the version resolved once they are read, so
    /// they never mix two versions.
    /// </summary>
    /// <remarks>
    /// The identifier may name a page, <c>{id};{n}</c> (<see cref="PageIdentifier"/>): 400 for a suffix that is no page
    /// number, 404 for a page past the end. Each page is described and cached on its own.
    /// </remarks>
    public Outcome<SourceDescription> Describe(string identifier)
    {
        if (!PageIdentifier.Parse(identifier).TryGetValue(out var page, out var pageError))
        {
            return pageError;
        }

        for (var attempt = 1; ; attempt++)
        {
            if (!Resolver.Resolve(page.Base).TryGetValue(out var source, out var error))
            {
                return page.Suffixed && error.Status == 404 ? IiifError.NotFound("identifier", $"No image with identifier \"{identifier}\"") : error;
            }

            var key = $"{source.Path}\n{source.Version}\n{page.Number}";
            if (_descriptions.TryGet(key, out var description))
            {
                return description;
            }

            if (source.Remote is { } remote)
            {
                // A remote pyramid TIFF is described from its directories (a few ranged GETs); anything else, and a TIFF
                // the in-place paths cannot serve, from its spooled copy like a file.
                try
                {
                    if (remote.InPlace && DescribeInPlace(source, remote) is { } inPlace)
                    {
                        if (Limits.Refuse(inPlace.Header) is { } refusal)
                        {
                            return TooLarge(identifier, refusal);
                        }

                        _descriptions.Set(key, inPlace);
                        return inPlace;
                    }

                    source = source with { Remote = remote.Spooled() };
                    remote.EnsureLocal();
                }
                catch (RemoteStoreException e)
                {
                    return e.ToError(identifier);
                }
            }

            // The declared size and coding, read from the first bytes before libvips opens the file: a decompression
            // bomb is refused here and never reaches a decoder.
            SourceHeader header;
            try
            {
                using var file = source.OpenVerified();
                header = HeaderProbe.Read(file);
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
                description = SourceInspector.Inspect(source, page.Index, Limits);

                // PDF pages and slides are judged by the inspector, from what poppler and OpenSlide read of their headers.
                description = description.Header == SourceHeader.Unknown ? description with { Header = header } : description;
            }
            catch (SourceRefusedException e) when (e.Status == 413)
            {
                return TooLarge(identifier, e.Message);
            }
            catch (SourceRefusedException e)
            {
                return IiifError.NotFound("identifier", $"No page {page.Number} in the image \"{page.Base}\": {e.Message}");
            }
            catch (Exception e) when (IsDamage(e) && source.IsChanging(Settle))
            {
                // Read while it was being written: the next attempt sees the new version, or the client is asked to wait.
                if (attempt < 2)
                {
                    continue;
                }

                return Changing(identifier);
            }
            catch (Exception e) when (IsDamage(e))
            {
                return Unreadable(identifier, source.Path, e);
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

    private static SourceDescription? DescribeInPlace(ResolvedSource source, RemoteObject remote)
    {
        try
        {
            return RemoteTiffInspector.Inspect(source, remote);
        }
        catch (TiffFormatException)
        {
            // Our stricter reader refused it: libvips reads the spooled copy and says what is wrong, as for a file.
            return null;
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

    /// <summary>Forgets what was read of the file at <paramref name="path"/>, every page (a purge).</summary>
    public int Forget(string path) => _descriptions.RemoveWhere(k => k.StartsWith(path + "\n", StringComparison.Ordinal));

    /// <summary>The failures that mean the source cannot be read (damaged, truncated, unreadable), as opposed to bugs.</summary>
    public static bool IsDamage(Exception e) =>
        e is VipsException or Jpeg2000Exception or JpegException or TiffFormatException or IOException or UnauthorizedAccessException;

    /// <summary>413: the source (or the request) would cost more to decode than a limit allows; the reason names it.</summary>
    public static IiifError TooLarge(string identifier, string reason) => new(413, "identifier", SourceLimits.Message(identifier, reason));

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
