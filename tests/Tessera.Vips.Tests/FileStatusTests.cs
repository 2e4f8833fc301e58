using System.Diagnostics;
using System.Globalization;
using Tessera.Vips;

namespace Tessera.Vips.Tests;

public sealed class FileStatusTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tessera-status-").FullName;

    private static string Stat(string format, string path)
    {
        using var stat = Process.Start(new ProcessStartInfo("stat", ["-L", "-c", format, path]) { RedirectStandardOutput = true })!;
        var text = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        return text;
    }

    [Fact]
    public void A_files_status_agrees_with_stat_and_with_dotnet()
    {
        var path = Path.Combine(_folder, "a.bin");
        File.WriteAllBytes(path, new byte[12345]);

        Assert.True(FileStatus.TryGet(path, followLinks: true, out var status));

        Assert.Equal(ulong.Parse(Stat("%i", path), CultureInfo.InvariantCulture), status.Inode);
        Assert.Equal(12345, status.Size);
        Assert.Equal(FileKind.Regular, status.Kind);
        Assert.Equal(File.GetLastWriteTimeUtc(path), status.LastModified.UtcDateTime);
        Assert.Equal(long.Parse(Stat("%Y", path), CultureInfo.InvariantCulture), status.ModifiedNanoseconds / 1_000_000_000);
        Assert.Equal(long.Parse(Stat("%Z", path), CultureInfo.InvariantCulture), status.ChangedNanoseconds / 1_000_000_000);
    }

    [Fact]
    public void An_open_handle_keeps_the_status_of_what_it_opened_after_the_path_is_replaced()
    {
        var path = Path.Combine(_folder, "b.bin");
        File.WriteAllBytes(path, new byte[100]);
        using var handle = NativeFile.TryOpenRead(path, out var error);
        Assert.NotNull(handle);
        Assert.Equal(FileError.None, error);
        var opened = FileStatus.Of(handle);

        var replacement = Path.Combine(_folder, "b.new");
        File.WriteAllBytes(replacement, new byte[100]);
        File.SetLastWriteTimeUtc(replacement, opened.LastModified.UtcDateTime);
        File.Move(replacement, path, overwrite: true);
        Assert.True(FileStatus.TryGet(path, followLinks: true, out var now));

        // Still the file opened, with its content; its ctime moved as it lost its name (another version, rightly).
        var held = FileStatus.Of(handle);
        Assert.True(held.SameFileAs(opened));
        Assert.Equal((opened.Size, opened.ModifiedNanoseconds), (held.Size, held.ModifiedNanoseconds));
        Assert.Equal(opened.Size, now.Size);
        Assert.False(now.SameFileAs(opened));
        Assert.False(now.SameVersionAs(opened));
        Assert.Equal(_folder + "/b.bin (deleted)", NativeFile.PathOf(handle));
    }

    [Fact]
    public void A_rewrite_in_place_that_puts_the_mtime_back_is_another_version()
    {
        var path = Path.Combine(_folder, "c.bin");
        File.WriteAllBytes(path, new byte[100]);
        Assert.True(FileStatus.TryGet(path, followLinks: true, out var before));
        Thread.Sleep(20);

        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            stream.Write(new byte[] { 1, 2, 3 });
        }

        File.SetLastWriteTimeUtc(path, before.LastModified.UtcDateTime);
        Assert.True(FileStatus.TryGet(path, followLinks: true, out var after));

        Assert.True(after.SameFileAs(before));
        Assert.Equal(before.Size, after.Size);
        Assert.False(after.SameVersionAs(before));
    }

    [Fact]
    public void Links_are_followed_or_not_and_their_real_path_is_the_targets()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_folder, "real")).FullName;
        File.WriteAllBytes(Path.Combine(folder, "d.bin"), new byte[7]);
        Directory.CreateSymbolicLink(Path.Combine(_folder, "linked"), folder);
        var through = Path.Combine(_folder, "linked", "d.bin");

        Assert.True(FileStatus.TryGet(Path.Combine(_folder, "linked"), followLinks: false, out var link));
        Assert.Equal(FileKind.Link, link.Kind);
        Assert.True(FileStatus.TryGet(Path.Combine(_folder, "linked"), followLinks: true, out var directory));
        Assert.Equal(FileKind.Directory, directory.Kind);
        using var handle = NativeFile.TryOpenRead(through, out _);
        Assert.Equal(Path.Combine(folder, "d.bin"), NativeFile.PathOf(handle!));
    }

    [Fact]
    public void A_loop_of_links_is_reported_as_a_loop_and_a_missing_file_as_not_found()
    {
        File.CreateSymbolicLink(Path.Combine(_folder, "x"), Path.Combine(_folder, "y"));
        File.CreateSymbolicLink(Path.Combine(_folder, "y"), Path.Combine(_folder, "x"));

        Assert.False(FileStatus.TryGet(Path.Combine(_folder, "x"), followLinks: true, out _, out var error));
        Assert.Equal(FileError.Loop, error);
        Assert.Null(NativeFile.TryOpenRead(Path.Combine(_folder, "x", "z.jpg"), out error));
        Assert.Equal(FileError.Loop, error);
        Assert.Null(NativeFile.TryOpenRead(Path.Combine(_folder, "missing"), out error));
        Assert.Equal(FileError.NotFound, error);
    }

    [Fact]
    public void A_fifo_opens_at_once_and_says_what_it_is()
    {
        var fifo = Path.Combine(_folder, "pipe.jpg");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            mkfifo.WaitForExit();
        }

        var watch = Stopwatch.StartNew();
        using var handle = NativeFile.TryOpenRead(fifo, out _);

        Assert.NotNull(handle);
        Assert.Equal(FileKind.Other, FileStatus.Of(handle).Kind);
        Assert.True(watch.ElapsedMilliseconds < 1000);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
