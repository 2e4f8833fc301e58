namespace Tessera.Server.Hosting;

/// <summary>
/// A file the server reads at start and again when it changes, so an edit takes effect without a restart (the users
/// file, the manifest CSV). Its time and length are looked at once a second at most, when <see cref="Current"/> is
/// asked, so nothing is spent between edits. A file that has gone bad meanwhile is reported once per version of it and
/// what was read before is kept: a half-saved edit never empties what the server knows.
/// </summary>
/// <typeparam name="T">What the file holds, as its reader returns it.</typeparam>
public sealed class ReloadedFile<T>
    where T : class
{
    private static readonly TimeSpan LookInterval = TimeSpan.FromSeconds(1);

    private readonly Func<string, (T Value, IReadOnlyList<string> Problems)> _read;
    private readonly Action<T> _reloaded;
    private readonly Action<IReadOnlyList<string>> _keptOld;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private T _value;
    private (DateTime Written, long Length) _version;
    private long _lookedAt;

    /// <summary>Reads <paramref name="path"/> now.</summary>
    /// <param name="path">The file.</param>
    /// <param name="what">What the file is, for the start's error ("users file").</param>
    /// <param name="read">Reads the file: its value and its problems (none: the value is good).</param>
    /// <param name="reloaded">Told the new value after a change was read without problems.</param>
    /// <param name="keptOld">Told the problems of a changed version that was not taken.</param>
    /// <param name="time">The clock (tests move it).</param>
    /// <exception cref="InvalidOperationException">The file has problems at start; the message lists them.</exception>
    public ReloadedFile(string path, string what, Func<string, (T Value, IReadOnlyList<string> Problems)> read, Action<T> reloaded, Action<IReadOnlyList<string>> keptOld, TimeProvider? time = null)
    {
        Path = path;
        (_read, _reloaded, _keptOld) = (read, reloaded, keptOld);
        _time = time ?? TimeProvider.System;
        var version = Version(path);
        var (value, problems) = read(path);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"Invalid {what}:\n  " + string.Join("\n  ", problems));
        }

        (_value, _version) = (value, version);
    }

    public string Path { get; }

    /// <summary>What the file holds now: read again first when it changed (looked at once a second at most).</summary>
    public T Current
    {
        get
        {
            Refresh();
            lock (_gate)
            {
                return _value;
            }
        }
    }

    private void Refresh()
    {
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lookedAt);
        if ((last != 0 && _time.GetElapsedTime(last, now) < LookInterval) || Interlocked.CompareExchange(ref _lookedAt, now, last) != last)
        {
            return;
        }

        var version = Version(Path);
        lock (_gate)
        {
            if (version == _version)
            {
                return;
            }
        }

        var (value, problems) = _read(Path);
        lock (_gate)
        {
            // A bad version is reported once, not once a second, and keeps the value read before.
            _version = version;
            if (problems.Count == 0)
            {
                _value = value;
            }
        }

        if (problems.Count > 0)
        {
            _keptOld(problems);
        }
        else
        {
            _reloaded(value);
        }
    }

    private static (DateTime, long) Version(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? (info.LastWriteTimeUtc, info.Length) : (DateTime.MinValue, -1);
    }
}
