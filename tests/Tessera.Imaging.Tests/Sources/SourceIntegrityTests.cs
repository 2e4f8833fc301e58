using Tessera.Imaging.Sources;
using Tessera.Testing;
using Tessera.Vips;

namespace Tessera.Imaging.Tests.Sources;

public sealed class SourceIntegrityTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tessera-integrity-").FullName;
    private readonly DamagedFiles _files;

    public SourceIntegrityTests() => _files = new DamagedFiles(_folder, width: 700);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("baseline.jpg", "jpegload")]
    [InlineData("progressive.jpg", "jpegload")]
    [InlineData("photo.png", "pngload")]
    [InlineData("photo.jp2", "jp2kload")]
    [InlineData("photo.j2k", "jp2kload")]
    [InlineData("tiles.tif", "tiffload")]
    [InlineData("strips.tif", "tiffload")]
    public void An_intact_file_passes_and_is_given_its_own_loader(string name, string loader)
    {
        var path = _files.Write(name, name switch
        {
            "baseline.jpg" => _files.Baseline,
            "progressive.jpg" => _files.Progressive,
            "photo.png" => _files.Png,
            "photo.jp2" => _files.Jp2,
            "photo.j2k" => DamagedFiles.Codestream(_files.Jp2),
            "tiles.tif" => _files.TiledTiff,
            _ => _files.StripTiff,
        });

        Assert.Equal(loader, LoaderChoice.Choose(path));
        Assert.Null(SourceIntegrity.Check(path, loader));
    }

    [Fact]
    public void Bytes_a_camera_appended_after_the_end_of_a_jpeg_do_not_make_it_truncated()
    {
        var path = _files.Write("trailer.jpg", [.. _files.Baseline, .. new byte[5000]]);

        Assert.Null(SourceIntegrity.Check(path, "jpegload"));
    }

    [Fact]
    public void A_truncated_jpeg_is_caught_even_when_an_exif_thumbnail_ends_before_its_scan()
    {
        using var photo = VipsImage.NewFromBuffer(_files.Baseline);
        using var thumbnail = photo.Resize(0.1, 0.1);
        var small = thumbnail.SaveToBuffer("jpegsave_buffer", ("Q", 70));

        // An APP1 segment holding a whole JPEG (with its own EOI), then the cut photograph.
        var app1 = new byte[4 + small.Length];
        app1[0] = 0xFF;
        app1[1] = 0xE1;
        app1[2] = (byte)((small.Length + 2) >> 8);
        app1[3] = (byte)(small.Length + 2);
        small.CopyTo(app1, 4);
        var cut = DamagedFiles.Cut(_files.Baseline, 0.7);
        var path = _files.Write("thumb.jpg", [.. cut.AsSpan(0, 2), .. app1, .. cut.AsSpan(2)]);

        Assert.Contains("truncated", SourceIntegrity.Check(path, "jpegload"), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_damaged_file_is_caught_before_any_pixel_is_decoded_or_refused_by_its_loader()
    {
        foreach (var (name, _) in _files.All())
        {
            var path = Path.Combine(_folder, name);
            string? reason;
            try
            {
                var loader = LoaderChoice.Choose(path);
                reason = SourceIntegrity.Check(path, loader);
                if (reason is null)
                {
                    // Left to the loader: it must refuse the header, with its own reason (never a blocked loader's).
                    var e = Assert.Throws<VipsException>(() => VipsImage.LoadFile(loader, path, ("fail_on", "truncated")).Dispose());
                    reason = e.Message;
                }
            }
            catch (VipsException e)
            {
                reason = e.Message;
            }

            Assert.False(string.IsNullOrEmpty(reason), name);
            Assert.DoesNotContain("blocked", reason, StringComparison.Ordinal);
        }
    }
}
