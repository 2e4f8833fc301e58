using System.Diagnostics;
using Tessera.Imaging.Caching;
using Tessera.Imaging.Rendering;

namespace Tessera.Imaging.Tests.Caching;

/// <summary>
/// The disk cache on a filesystem smaller than its configured capacity (a real 2 MiB tmpfs, mounted by the test: root
/// only, as here and in CI), which another program then fills; and entries copied over each other.
/// </summary>
public sealed class DiskCacheOnSmallDiskTests : IDisposable
{
    private const long FilesystemBytes = 2 << 20;

    private readonly string _mount = Directory.CreateTempSubdirectory("tessera-small-disk-").FullName;
    private bool _mounted;

    private static RenderedImage Entry(int n, int size) => new(RandomBytes(n, size), "image/jpeg", n, n);

    private static byte[] RandomBytes(int seed, int size)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static string Key(int n) => $"photo.tif\nv1\nfull/{n},/0/default.jpg";

    private string CacheFolder => Path.Combine(_mount, "cache");

    private void MountTmpfs()
    {
        using var mount = Process.Start(new ProcessStartInfo("mount", ["-t", "tmpfs", "-o", $"size={FilesystemBytes}", "tmpfs", _mount])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        var error = mount.StandardError.ReadToEnd();
        mount.WaitForExit();
        if (mount.ExitCode != 0)
        {
            Assert.Skip($"Mounting a 2 MiB tmpfs is not permitted here (mount exited {mount.ExitCode}: {error.Trim()}); this test needs root, as in CI");
        }

        _mounted = true;
    }

    [Fact]
    public async Task A_small_filesystem_filled_by_another_program_leaves_no_temporary_file_and_caching_goes_on_within_its_room()
    {
        MountTmpfs();
        var warnings = new List<string>();
        using var cache = new DiskDerivativeCache(CacheFolder, 64L << 20, m => { lock (warnings) { warnings.Add(m); } }) { WarningInterval = TimeSpan.FromHours(1) };
        var margin = DiskDerivativeCache.FreeSpaceMargin(FilesystemBytes);
        Assert.InRange(cache.CapacityBytes, 1, FilesystemBytes - margin);

        for (var i = 0; i < 25; i++)
        {
            cache.Set(Key(i), Entry(i, 40_000));
            await cache.FlushAsync(TestContext.Current.CancellationToken);
        }

        // Another program takes nearly all that is left, room the cache planned to use: its next write fails half-way.
        var free = new DriveInfo(_mount).AvailableFreeSpace;
        await File.WriteAllBytesAsync(Path.Combine(_mount, "other-program.bin"), new byte[free - 10_000], TestContext.Current.CancellationToken);
        Assert.True(new DriveInfo(_mount).AvailableFreeSpace < 40_000);

        for (var i = 25; i < 90; i++)
        {
            cache.Set(Key(i), Entry(i, 40_000));
            await cache.FlushAsync(TestContext.Current.CancellationToken);
        }

        Assert.Empty(Directory.EnumerateFiles(CacheFolder, "*.tmp", SearchOption.AllDirectories));
        Assert.True(cache.TryGet(Key(89), out var last), "The last entry is cached: caching went on after the disk filled");
        Assert.Equal(RandomBytes(89, 40_000), last.Data);
        var onDisk = Directory.EnumerateFiles(CacheFolder, "*.tdc", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Assert.Equal(cache.Bytes, onDisk);
        Assert.True(cache.Bytes <= cache.CapacityBytes, $"{cache.Bytes} bytes kept, {cache.CapacityBytes} planned");
        var drive = new DriveInfo(_mount);
        Assert.True(cache.CapacityBytes <= cache.Bytes + drive.AvailableFreeSpace, $"{cache.CapacityBytes} planned, {cache.Bytes} held, {drive.AvailableFreeSpace} free");
        Assert.True(cache.Count >= 2, $"{cache.Count} entries kept");
        lock (warnings)
        {
            Assert.Single(warnings);
        }
    }

    [Fact]
    public async Task Failures_are_reported_at_most_once_per_interval_and_counted()
    {
        var root = Path.Combine(_mount, "cache");
        var warnings = new List<string>();
        using var cache = new DiskDerivativeCache(root, 1 << 20, m => { lock (warnings) { warnings.Add(m); } }) { WarningInterval = TimeSpan.FromMilliseconds(500) };

        // A file where the entries' folder should go: every write fails.
        await File.WriteAllTextAsync(Path.Combine(root, DerivativeKey.Hash("photo.tif")[..2]), "in the way", TestContext.Current.CancellationToken);
        for (var i = 0; i < 5; i++)
        {
            cache.Set(Key(i), Entry(i, 1000));
            await cache.FlushAsync(TestContext.Current.CancellationToken);
        }

        await Task.Delay(600, TestContext.Current.CancellationToken);
        cache.Set(Key(5), Entry(5, 1000));
        await cache.FlushAsync(TestContext.Current.CancellationToken);

        lock (warnings)
        {
            Assert.Equal(2, warnings.Count);
            Assert.Contains("writing an entry failed", warnings[0], StringComparison.Ordinal);
            Assert.Contains("(4 more disk cache failures since the last report)", warnings[1], StringComparison.Ordinal);
        }

        Assert.Empty(Directory.EnumerateFiles(root, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task An_entry_copied_over_another_is_not_served_for_the_others_key()
    {
        var warnings = new List<string>();
        using var cache = new DiskDerivativeCache(CacheFolder, 1 << 20, warnings.Add);
        cache.Set(Key(1), Entry(1, 2000));
        await cache.FlushAsync(TestContext.Current.CancellationToken);
        var first = Directory.EnumerateFiles(CacheFolder, "*.tdc", SearchOption.AllDirectories).Single();
        cache.Set(Key(2), Entry(2, 2000));
        await cache.FlushAsync(TestContext.Current.CancellationToken);
        var second = Directory.EnumerateFiles(CacheFolder, "*.tdc", SearchOption.AllDirectories).Single(f => f != first);

        File.Copy(first, second, overwrite: true);

        Assert.False(cache.TryGet(Key(2), out _));
        Assert.False(File.Exists(second));
        Assert.Contains("another key", Assert.Single(warnings), StringComparison.Ordinal);
        Assert.True(cache.TryGet(Key(1), out var image));
        Assert.Equal(RandomBytes(1, 2000), image.Data);
    }

    public void Dispose()
    {
        if (_mounted)
        {
            using var umount = Process.Start("umount", [_mount]);
            umount.WaitForExit();
        }

        Directory.Delete(_mount, recursive: true);
    }
}
