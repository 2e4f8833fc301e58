using Tessera.Testing;

namespace Tessera.Vips.Tests;

/// <summary>
/// libvips' error buffer is one for the process: failures on several threads at once must each get only their own
/// text (<see cref="VipsErrorScope"/>), never another's. Runs alone: while its scopes are open, a failure elsewhere in
/// this process with no scope of its own (the other tests' operations) rightly cannot claim lines it cannot prove its own.
/// </summary>
[Collection(nameof(LeakTests))]
public sealed class VipsErrorScopeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tessera-scope-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Two_damaged_files_failing_on_many_threads_at_once_each_get_only_their_own_reason()
    {
        var files = new DamagedFiles(_folder, width: 600);
        var tiff = files.Write("bad-ifd.tif", DamagedFiles.BadDirectory(files.TiledTiff));
        var jpeg = files.Write("cut-header.jpg", files.Baseline.AsSpan(0, 300));
        var png = files.Write("cut-header.png", files.Png.AsSpan(0, 200));
        var cases = new[] { (Path: tiff, Loader: "tiffload", Other: "JPEG"), (Path: jpeg, Loader: "jpegload", Other: "TIFF"), (Path: png, Loader: "pngload", Other: "JPEG") };
        var messages = new System.Collections.Concurrent.ConcurrentBag<(int Case, string Native)>();
        var until = DateTime.UtcNow.AddSeconds(2);

        Parallel.For(0, 6, new ParallelOptions { MaxDegreeOfParallelism = 6 }, worker =>
        {
            for (var i = 0; DateTime.UtcNow < until; i++)
            {
                var which = (worker + i) % cases.Length;
                var (path, loader, _) = cases[which];
                using var scope = VipsErrorScope.Begin(path, loader);
                var e = Assert.Throws<VipsException>(() =>
                {
                    // The header fails (TIFF, JPEG), or the pixels do (the PNG's header is whole).
                    using var image = VipsImage.LoadFile(loader, path, ("fail_on", "truncated"));
                    image.Average();
                });
                messages.Add((which, e.NativeMessage));
            }
        });

        Assert.True(messages.Count > 100, $"only {messages.Count} failures");
        foreach (var (which, native) in messages)
        {
            Assert.DoesNotContain(cases[which].Other, native, StringComparison.OrdinalIgnoreCase);
            foreach (var other in cases.Where((_, i) => i != which))
            {
                Assert.DoesNotContain(Path.GetFileName(other.Path), native, StringComparison.Ordinal);
            }
        }

        // Own words for most: only a failure that cannot prove which lines are its own goes without.
        Assert.True(messages.Count(m => m.Native.Length > 0) > messages.Count / 2, $"{messages.Count(m => m.Native.Length > 0)} of {messages.Count} had their own text");
    }

    [Fact]
    public async Task A_line_naming_the_file_belongs_to_its_scope_whatever_else_is_open()
    {
        // A file that is not there: libvips' message quotes its path.
        var path = Path.Combine(_folder, "nothing-here.jpg");
        using var other = VipsErrorScope.Begin(Path.Combine(_folder, "other.jpg"), "jpegload");
        var e = await Task.Run(() =>
        {
            using var scope = VipsErrorScope.Begin(path, "jpegload");
            return Assert.Throws<VipsException>(() => VipsImage.LoadFile("jpegload", path).Dispose());
        });

        Assert.Contains("nothing-here.jpg", e.NativeMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("VipsJpeg: Premature end of input file", "jpeg")]
    [InlineData("MissingRequired: TIFF directory is missing required \"ImageLength\" field", "tiff")]
    [InlineData("TIFFFetchNormalTag: Incorrect count for \"FillOrder\"", "tiff")]
    [InlineData("vipspng: libpng read error", "png")]
    [InlineData("jp2kload: Failed to decode the codestream in the JP2 file", "jp2k")]
    [InlineData("VipsRegion: unable to fetch", "")]
    public void Lines_are_told_apart_by_their_loader_family(string line, string family) =>
        Assert.Equal(family, VipsErrorScope.FamilyOfLine(line));
}
