using Microsoft.Extensions.Logging;
using Tessera.Core.Presentation;
using Tessera.Imaging.Presentation;

namespace Tessera.Server.Presentation;

/// <summary>
/// The descriptive metadata of the on-the-fly Manifests and Collection (<see cref="Hosting.TesseraServerOptions.ManifestCsv"/>):
/// the CSV of <c>tessera manifest --csv</c>, read by the same reader (<see cref="MetadataCsvFile"/>) and written into
/// documents by the same builder, so a served Manifest and a generated one say the same. Read at start (a bad file
/// stops the start with its rows' problems), then again when it changes: its time and length are looked at once a
/// second at most, on a Presentation request, so an edit shows without a restart and costs nothing between edits. A
/// file that has gone bad meanwhile is logged as a warning, once per version, and the rows read before are kept.
/// </summary>
public sealed partial class ManifestMetadata
{
    private static readonly IReadOnlyDictionary<string, DescriptiveMetadata> None = new Dictionary<string, DescriptiveMetadata>();

    private readonly Hosting.ReloadedFile<IReadOnlyDictionary<string, DescriptiveMetadata>>? _file;

    /// <summary>The metadata of <paramref name="path"/> (null: none, documents keep their generated labels).</summary>
    /// <exception cref="InvalidOperationException">The file cannot be read or has problems; the message lists them, with rows.</exception>
    public ManifestMetadata(string? path, ILogger<ManifestMetadata> logger, TimeProvider? time = null)
    {
        if (path is not null)
        {
            _file = new(
                path,
                "ManifestCsv",
                p => MetadataCsvFile.Read(p, "ManifestCsv"),
                rows => Reloaded(logger, path, rows.Count),
                problems => KeptOldRows(logger, path, string.Join("; ", problems)),
                time);
        }
    }

    /// <summary>The metadata per object id as the file says now (read again first if it changed, at most once a second).</summary>
    public IReadOnlyDictionary<string, DescriptiveMetadata> Current => _file?.Current ?? None;

    [LoggerMessage(Level = LogLevel.Information, Message = "ManifestCsv {Path} read again: {Count} rows")]
    private static partial void Reloaded(ILogger logger, string path, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ManifestCsv {Path} changed but has problems; the rows read before stay: {Problems}")]
    private static partial void KeptOldRows(ILogger logger, string path, string problems);
}
