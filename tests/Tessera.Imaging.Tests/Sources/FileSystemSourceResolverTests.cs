using Tessera.Testing;
using Tessera.Core.Iiif;
using Tessera.Imaging.Sources;
using Tessera.Vips;
using Tessera.Imaging.Tests.Batch;

namespace Tessera.Imaging.Tests.Sources;

public sealed class FileSystemSourceResolverTests : IDisposable
{
    private readonly MasterFixtures _fixtures = new("tessera-batch-");

    [Theory]
    [InlineData("", "Expected a non-empty identifier")]
    [InlineData("/etc/passwd", "Expected a relative identifier but received an absolute path")]
    [InlineData("a\\b.jpg", "Expected an identifier without backslashes")]
    [InlineData("a\nb.jpg", "Expected an identifier without control characters (NUL, newline, ...)")]
    [InlineData("../photo.jpg", "Expected an identifier without empty, \".\" or \"..\" path segments but received \"../photo.jpg\"")]
    [InlineData("a//photo.jpg", "Expected an identifier without empty, \".\" or \"..\" path segments but received \"a//photo.jpg\"")]
    public void A_malformed_identifier_is_refused_through_the_interface_as_resolve_refuses_it(string identifier, string expected)
    {
        ISourceResolver resolver = new FileSystemSourceResolver(_fixtures.Root);
        Assert.Equal(expected, resolver.IdentifierProblem(identifier));
        Assert.False(resolver.Resolve(identifier).TryGetValue(out _, out var error));
        Assert.Equal(400, error.Status);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("photo.jpg")]
    [InlineData("maps/1850 atlas/page-2.tif")]
    [InlineData("missing.jpg")]
    public void A_relative_path_has_no_problem_whether_or_not_it_exists(string identifier) =>
        Assert.Null(new FileSystemSourceResolver(_fixtures.Root).IdentifierProblem(identifier));

    [Fact]
    public void An_identifier_longer_than_1024_characters_is_refused() =>
        Assert.Equal("Expected an identifier of at most 1024 characters but received 1025", new FileSystemSourceResolver(_fixtures.Root).IdentifierProblem(new string('a', 1025)));

    /// <summary>A folder beside the root, holding <c>secret.jpg</c>.</summary>
    private string Outside()
    {
        var outside = Directory.CreateDirectory(_fixtures.Out("outside")).FullName;
        File.WriteAllBytes(Path.Combine(outside, "secret.jpg"), [0xFF, 0xD8, 0xFF, 0xE0]);
        return outside;
    }

    private static IiifError Refusal(FileSystemSourceResolver resolver, string identifier)
    {
        Assert.False(resolver.Resolve(identifier).TryGetValue(out var source, out var error), $"{identifier} resolved to {source?.Path}");
        return error;
    }

    [Fact]
    public void A_file_link_through_a_folder_link_out_of_the_root_is_refused_like_a_file_link()
    {
        var outside = Outside();
        Directory.CreateDirectory(Path.Combine(_fixtures.Root, "links"));
        Directory.CreateSymbolicLink(Path.Combine(_fixtures.Root, "links", "dir_out"), outside);
        File.CreateSymbolicLink(Path.Combine(_fixtures.Root, "links", "via_dir.jpg"), "dir_out/secret.jpg");
        File.CreateSymbolicLink(Path.Combine(_fixtures.Root, "links", "direct.jpg"), Path.Combine(outside, "secret.jpg"));
        var resolver = new FileSystemSourceResolver(_fixtures.Root);

        foreach (var identifier in new[] { "links/via_dir.jpg", "links/dir_out/secret.jpg", "links/direct.jpg" })
        {
            Assert.Equal(404, Refusal(resolver, identifier).Status);
        }
    }

    [Fact]
    public void Links_that_stay_inside_the_root_are_followed_to_the_real_file()
    {
        var photo = _fixtures.Photo("real/photo.jpg", 64);
        Directory.CreateSymbolicLink(Path.Combine(_fixtures.Root, "alias"), "real");
        File.CreateSymbolicLink(Path.Combine(_fixtures.Root, "alias.jpg"), "alias/photo.jpg");
        var resolver = new FileSystemSourceResolver(_fixtures.Root);

        foreach (var identifier in new[] { "real/photo.jpg", "alias/photo.jpg", "alias.jpg" })
        {
            Assert.True(resolver.Resolve(identifier).TryGetValue(out var source, out _), identifier);
            Assert.Equal(new FileInfo(photo).FullName, source.Path);
            Assert.Equal(new FileInfo(photo).Length, source.Length);
        }
    }

    [Fact]
    public void A_folder_swapped_for_a_link_out_of_the_root_is_refused_on_the_very_next_request()
    {
        var outside = Outside();
        File.Copy(Path.Combine(outside, "secret.jpg"), Path.Combine(Directory.CreateDirectory(Path.Combine(outside, "album")).FullName, "page.jpg"));
        _fixtures.Photo("album/page.jpg", 64);
        var resolver = new FileSystemSourceResolver(_fixtures.Root);
        Assert.True(resolver.Resolve("album/page.jpg").TryGetValue(out _, out _));

        Directory.Move(Path.Combine(_fixtures.Root, "album"), Path.Combine(_fixtures.Root, "album.old"));
        Directory.CreateSymbolicLink(Path.Combine(_fixtures.Root, "album"), Path.Combine(outside, "album"));

        Assert.Equal(404, Refusal(resolver, "album/page.jpg").Status);
    }

    [Fact]
    public void A_folder_swapped_after_the_request_resolved_it_is_never_read_by_any_reader()
    {
        // The race the per-request check leaves: resolved inside the root, then the folder is swapped for a link out
        // of it before the readers open the file. Every reader opens through the resolved source and checks what it
        // opened, so none reads the outside file; swapped back, the very same source reads again.
        var outside = Outside();
        var album = Directory.CreateDirectory(Path.Combine(outside, "album")).FullName;
        _fixtures.Photo("album/page.jpg", 64);
        File.Copy(Path.Combine(_fixtures.Root, "album", "page.jpg"), Path.Combine(album, "page.jpg"));
        var resolver = new FileSystemSourceResolver(_fixtures.Root);
        Assert.True(resolver.Resolve("album/page.jpg").TryGetValue(out var source, out _));

        Directory.Move(Path.Combine(_fixtures.Root, "album"), Path.Combine(_fixtures.Root, "album.old"));
        Directory.CreateSymbolicLink(Path.Combine(_fixtures.Root, "album"), Path.Combine(outside, "album"));

        Assert.Throws<IOException>(() => source.OpenVerified().Dispose());
        Assert.Throws<IOException>(() => source.Load("jpegload").Dispose());
        Assert.Throws<IOException>(() => SourceInspector.Inspect(source));

        Directory.Delete(Path.Combine(_fixtures.Root, "album"));
        Directory.Move(Path.Combine(_fixtures.Root, "album.old"), Path.Combine(_fixtures.Root, "album"));
        using var image = source.Load("jpegload");
        Assert.Equal(64, Math.Max(image.Width, image.Height));
        Assert.Equal(SourceLoader.Jpeg, SourceInspector.Inspect(source).Loader);
    }

    [Fact]
    public void An_image_loaded_keeps_reading_the_file_it_opened_after_the_path_is_replaced()
    {
        // libvips reads a descriptor of the checked file: replacing the path under an open image changes nothing it reads.
        var path = _fixtures.Photo("kept.jpg", 64);
        var resolver = new FileSystemSourceResolver(_fixtures.Root);
        Assert.True(resolver.Resolve("kept.jpg").TryGetValue(out var source, out _));
        double expected;
        using (var original = VipsImage.LoadFile("jpegload", path))
        {
            expected = original.Average();
        }

        // Only the header is read here; the pixels are decoded after the path names another file.
        using var image = source.Load("jpegload", ("access", "sequential"));
        File.WriteAllBytes(path + ".new", File.ReadAllBytes(Samples.PathOf(Samples.Sunset)));
        File.Move(path + ".new", path, overwrite: true);

        Assert.Equal(expected, image.Average());
        Assert.Throws<IOException>(() => source.Load("jpegload").Dispose());
    }

    [Theory]
    [InlineData("a.jpg")]
    [InlineData("self.jpg")]
    [InlineData("loop/photo.jpg")]
    public void A_loop_of_links_is_not_found_and_marked_for_the_log(string identifier)
    {
        File.CreateSymbolicLink(Path.Combine(_fixtures.Root, "a.jpg"), "b.jpg");
        File.CreateSymbolicLink(Path.Combine(_fixtures.Root, "b.jpg"), "a.jpg");
        File.CreateSymbolicLink(Path.Combine(_fixtures.Root, "self.jpg"), "self.jpg");
        Directory.CreateSymbolicLink(Path.Combine(_fixtures.Root, "loop"), "loop");

        var error = Refusal(new FileSystemSourceResolver(_fixtures.Root), identifier);

        Assert.Equal(404, error.Status);
        Assert.True(error.Warn);
        Assert.Contains(identifier, error.Message, StringComparison.Ordinal);
        Assert.Contains("loop of symbolic links", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_fixtures.Root, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fifo_or_a_folder_under_an_image_name_is_not_found_and_not_waited_on()
    {
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [Path.Combine(_fixtures.Root, "pipe.jpg")]))
        {
            mkfifo.WaitForExit();
        }

        Directory.CreateDirectory(Path.Combine(_fixtures.Root, "folder.jpg"));
        var resolver = new FileSystemSourceResolver(_fixtures.Root);

        Assert.Equal(404, Refusal(resolver, "pipe.jpg").Status);
        Assert.Equal(404, Refusal(resolver, "folder.jpg").Status);
    }

    [Fact]
    public void A_file_replaced_by_one_of_equal_size_and_mtime_is_another_version_at_once()
    {
        var path = _fixtures.Photo("photo.jpg", 64);
        var resolver = new FileSystemSourceResolver(_fixtures.Root);
        Assert.True(resolver.Resolve("photo.jpg").TryGetValue(out var before, out _));
        var bytes = File.ReadAllBytes(path);
        bytes[^3] ^= 0x01;
        File.WriteAllBytes(path + ".new", bytes);
        File.SetLastWriteTimeUtc(path + ".new", File.GetLastWriteTimeUtc(path));

        File.Move(path + ".new", path, overwrite: true);

        Assert.True(before.Status.HasValue);
        Assert.False(before.IsCurrent());
        Assert.True(resolver.Resolve("photo.jpg").TryGetValue(out var after, out _));
        Assert.Equal(before.Length, after.Length);
        Assert.Equal(before.LastModified, after.LastModified);
        Assert.NotEqual(before.Version, after.Version);
        Assert.True(after.IsCurrent());
    }

    public void Dispose() => _fixtures.Dispose();
}
