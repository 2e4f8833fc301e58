using System.Runtime.CompilerServices;
using Tessera.Imaging.Storage;

namespace Tessera.Imaging.Tests.Storage;

public sealed class RemoteSpoolTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tessera-spool-test-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_version_is_fetched_once_and_the_least_recently_used_goes_first_past_the_bound()
    {
        var store = new MemoryStore();
        var spool = new RemoteSpool(_folder, maxBytes: 250, inUse: TimeSpan.Zero);
        var a = store.Put("a.jpg", 100);
        var b = store.Put("b.jpg", 100);
        var c = store.Put("c.jpg", 100);

        var pathA = await spool.FetchAsync(store, a, Ct);
        await spool.FetchAsync(store, b, Ct);
        Assert.Equal(pathA, await spool.FetchAsync(store, a, Ct)); // a used again: b is now the oldest
        await spool.FetchAsync(store, c, Ct);

        Assert.Equal(3, store.Downloads);
        Assert.Equal(200, spool.Bytes);
        Assert.True(File.Exists(pathA));
        Assert.False(File.Exists(spool.PathFor(store, b)));
        Assert.Equal(store.Bytes("a.jpg"), await File.ReadAllBytesAsync(pathA, Ct));
        Assert.DoesNotContain(Directory.EnumerateFiles(_folder), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_new_version_is_another_file_and_concurrent_callers_share_one_fetch()
    {
        var store = new MemoryStore { Delay = TimeSpan.FromMilliseconds(200) };
        var spool = new RemoteSpool(_folder, maxBytes: 10_000);
        var first = store.Put("a.png", 100);

        var paths = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => spool.FetchAsync(store, first, Ct)));
        Assert.Single(paths.Distinct());
        Assert.Equal(1, store.Downloads);

        var second = store.Put("a.png", 120);
        Assert.NotEqual(first.Version, second.Version);
        Assert.NotEqual(paths[0], await spool.FetchAsync(store, second, Ct));
        Assert.Equal(2, store.Downloads);
    }

    [Fact]
    public async Task A_failed_fetch_leaves_nothing_and_spool_files_of_an_earlier_run_are_removed_at_start()
    {
        var store = new MemoryStore();
        var info = store.Put("a.jpg", 100);
        var spool = new RemoteSpool(_folder, maxBytes: 10_000);
        store.Fail = true;
        await Assert.ThrowsAsync<RemoteStoreException>(() => spool.FetchAsync(store, info, Ct));
        Assert.Empty(Directory.EnumerateFiles(_folder));

        store.Fail = false;
        var path = await spool.FetchAsync(store, info, Ct);
        var mine = Path.Combine(_folder, "notes.txt");
        await File.WriteAllTextAsync(mine, "not the spool's", Ct);
        _ = new RemoteSpool(_folder, maxBytes: 10_000);
        Assert.False(File.Exists(path));
        Assert.True(File.Exists(mine));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>An in-memory store: objects with ETags that change on every put, downloads counted.</summary>
    private sealed class MemoryStore : IRemoteStore
    {
        private readonly Dictionary<string, byte[]> _objects = [];
        private int _downloads;
        private int _puts;

        public TimeSpan Delay { get; init; }

        public bool Fail { get; set; }

        public int Downloads => _downloads;

        public bool CanList => false;

        public RemoteObjectInfo Put(string key, int length)
        {
            var bytes = new byte[length];
            Random.Shared.NextBytes(bytes);
            _objects[key] = bytes;
            return new RemoteObjectInfo(key, length, $"\"v{++_puts}\"", null);
        }

        public byte[] Bytes(string key) => _objects[key];

        public string Describe(string key) => "mem://" + key;

        public Task<RemoteObjectInfo> HeadAsync(string key, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task ReadRangeAsync(RemoteObjectInfo info, long offset, Memory<byte> buffer, CancellationToken cancellationToken) => throw new NotSupportedException();

        public async Task DownloadAsync(RemoteObjectInfo info, Stream destination, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _downloads);
            await Task.Delay(Delay, cancellationToken);
            if (Fail)
            {
                await destination.WriteAsync(_objects[info.Key].AsMemory(0, 10), cancellationToken);
                throw new RemoteStoreException(RemoteFailure.Unavailable, "broken connection");
            }

            await destination.WriteAsync(_objects[info.Key], cancellationToken);
        }

        public async IAsyncEnumerable<string> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.CompletedTask;
            yield break;
        }

        public Task<string?> ProblemAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(null);
    }
}
