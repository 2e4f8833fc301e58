using System.Net;
using Microsoft.Extensions.Logging;
using Tessera.Server.Tests.Fixtures;

namespace Tessera.Server.Tests.Endpoints;

/// <summary>
/// Layouts that lead out of the root (a folder link, a folder swapped for a link) or nowhere (loops of links): refused
/// with a 404 on every endpoint, on the very next request, and loops said in the log.
/// </summary>
public sealed class SourceIdentityTests(ServerFixture server)
{
    private static readonly Lock Setup = new();

    /// <summary><c>identity/dir_out</c> links to the outside folder; <c>identity/via_dir.jpg</c> to <c>dir_out/secret.jpg</c>.</summary>
    private void LinkOut()
    {
        lock (Setup)
        {
            var folder = Directory.CreateDirectory(Path.Combine(server.Root, "identity")).FullName;
            if (new FileInfo(Path.Combine(folder, "via_dir.jpg")).LinkTarget is null)
            {
                Directory.CreateSymbolicLink(Path.Combine(folder, "dir_out"), server.Outside);
                File.CreateSymbolicLink(Path.Combine(folder, "via_dir.jpg"), "dir_out/secret.jpg");
            }
        }
    }

    private async Task AssertRefusedAsync(string path)
    {
        using var response = await server.Client.GetAsync(path);
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path}: {(int)response.StatusCode}");
        Assert.False(body.Length > 2 && body[0] == 0xFF && body[1] == 0xD8, $"{path} sent a JPEG");
        Assert.DoesNotContain(server.Outside, System.Text.Encoding.UTF8.GetString(body), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/iiif/3/identity%2Fvia_dir.jpg/info.json")]
    [InlineData("/iiif/3/identity%2Fvia_dir.jpg/full/max/0/default.jpg")]
    [InlineData("/iiif/2/identity%2Fdir_out%2Fsecret.jpg/full/full/0/default.jpg")]
    [InlineData("/deepzoom/identity%2Fvia_dir.jpg.dzi")]
    [InlineData("/deepzoom/identity%2Fvia_dir.jpg_files/0/0_0.jpg")]
    [InlineData("/zoomify/identity/via_dir.jpg/ImageProperties.xml")]
    [InlineData("/zoomify/identity/via_dir.jpg/TileGroup0/0-0-0.jpg")]
    [InlineData("/view/identity/via_dir.jpg")]
    public async Task A_file_link_through_a_folder_link_out_of_the_root_is_not_found_on_every_endpoint(string path)
    {
        LinkOut();
        await AssertRefusedAsync(path);
    }

    [Fact]
    public async Task A_folder_swapped_for_a_link_out_of_the_root_is_refused_on_the_very_next_request()
    {
        var album = Directory.CreateDirectory(Path.Combine(server.Root, "identity-swap")).FullName;
        File.Copy(Path.Combine(server.Root, TestImages.Photo), Path.Combine(album, "page.jpg"));
        var elsewhere = Directory.CreateDirectory(Path.Combine(server.Outside, "swap")).FullName;
        File.Copy(Path.Combine(server.Outside, "secret.jpg"), Path.Combine(elsewhere, "page.jpg"));
        foreach (var path in new[] { "/iiif/3/identity-swap%2Fpage.jpg/info.json", "/iiif/3/identity-swap%2Fpage.jpg/full/64,/0/default.jpg", "/deepzoom/identity-swap%2Fpage.jpg.dzi" })
        {
            using var before = await server.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        Directory.Move(album, album + ".old");
        Directory.CreateSymbolicLink(album, elsewhere);

        await AssertRefusedAsync("/iiif/3/identity-swap%2Fpage.jpg/info.json");
        await AssertRefusedAsync("/iiif/3/identity-swap%2Fpage.jpg/full/64,/0/default.jpg");
        await AssertRefusedAsync("/iiif/3/identity-swap%2Fpage.jpg/full/32,/0/default.jpg");
        await AssertRefusedAsync("/deepzoom/identity-swap%2Fpage.jpg.dzi");
        await AssertRefusedAsync("/view/identity-swap/page.jpg");
    }

    [Theory]
    [InlineData("identity-loop/a.jpg", "/iiif/3/identity-loop%2Fa.jpg/info.json")]
    [InlineData("identity-loop/self.jpg", "/iiif/3/identity-loop%2Fself.jpg/full/max/0/default.jpg")]
    [InlineData("identity-loop/round/page.jpg", "/deepzoom/identity-loop%2Fround%2Fpage.jpg.dzi")]
    [InlineData("identity-loop/b.jpg", "/zoomify/identity-loop/b.jpg/ImageProperties.xml")]
    [InlineData("identity-loop/a.jpg", "/view/identity-loop/a.jpg")]
    public async Task A_loop_of_links_is_not_found_and_logged_with_its_identifier(string identifier, string path)
    {
        lock (Setup)
        {
            var folder = Directory.CreateDirectory(Path.Combine(server.Root, "identity-loop")).FullName;
            if (new FileInfo(Path.Combine(folder, "a.jpg")).LinkTarget is null)
            {
                File.CreateSymbolicLink(Path.Combine(folder, "a.jpg"), "b.jpg");
                File.CreateSymbolicLink(Path.Combine(folder, "b.jpg"), "a.jpg");
                File.CreateSymbolicLink(Path.Combine(folder, "self.jpg"), "self.jpg");
                Directory.CreateSymbolicLink(Path.Combine(folder, "round"), "round");
            }
        }

        using var response = await server.Client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("loop of symbolic links", body, StringComparison.Ordinal);
        Assert.Contains(server.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains(identifier, StringComparison.Ordinal) && e.Message.Contains("loop", StringComparison.Ordinal));
    }
}
