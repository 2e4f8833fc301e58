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
    private static readonly TimeSpan LookInterval = TimeSpan.FromSeconds(1);
    private static readonly IReadOnlyDictionary<string, DescriptiveMetadata> None = new Dictionary<string, DescriptiveMetadata>();

    private readonly string? _path;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private IReadOnlyDictionary<string, DescriptiveMetadata> _rows = None;
    private (DateTime Written, long Length) _version;
    private long _lookedAt;

    /// <summary>The metadata of <paramref name="path"/> (null: none, documents keep their generated labels).</summary>
    /// <exception cref="InvalidOperationException">The file cannot be read or has problems; the message lists them, with rows.</exception>
    public ManifestMetadata(string? path, ILogger<ManifestMetadata> logger, TimeProvider? time = null)
    {
        _path = path;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        if (path is not null)
        {
            var version = Version(path);
            var (rows, problems) = MetadataCsvFile.Read(path, "ManifestCsv");
            if (problems.Count > 0)
            {
                throw new InvalidOperationException("Invalid ManifestCsv:\n  " + string.Join("\n  ", problems));
            }

            (_rows, _version) = (rows, version);
        }
    }

    /// <summary>The metadata per object id as the file says now (read again first if it changed, at most once a second).</summary>
    public IReadOnlyDictionary<string, DescriptiveMetadata> Current
    {
        get
        {
            Refresh();
            lock (_gate)
            {
                return _rows;
            }
        }
    }

    private void Refresh()
    {
        if (_path is null)
        {
            return;
        }

        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lookedAt);
        if ((last != 0 && _time.GetElapsedTime(last, now) < LookInterval) || Interlocked.CompareExchange(ref _lookedAt, now, last) != last)
        {
            return;
        }

        var version = Version(_path);
        lock (_gate)
        {
            if (version == _version)
            {
                return;
            }
        }

        var (rows, problems) = MetadataCsvFile.Read(_path, "ManifestCsv");
        lock (_gate)
        {
            // Said once per version of the file, not once a second; a bad version keeps the rows read before.
            _version = version;
            if (problems.Count == 0)
            {
                _rows = rows;
            }
        }

        if (problems.Count > 0)
        {
            KeptOldRows(_logger, _path, string.Join("; ", problems));
        }
        else
        {
            Reloaded(_logger, _path, rows.Count);
        }
    }

    private static (DateTime, long) Version(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? (info.LastWriteTimeUtc, info.Length) : (DateTime.MinValue, -1);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "ManifestCsv {Path} read again: {Count} rows")]
    private static partial void Reloaded(ILogger logger, string path, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ManifestCsv {Path} changed but has problems; the rows read before stay: {Problems}")]
    private static partial void KeptOldRows(ILogger logger, string path, string problems);
}
