using Tessera.Imaging.Batch;
using Tessera.Imaging.Sources;
using Tessera.Testing;
using Tessera.Vips;

namespace Tessera.Imaging.Tests.Sources;

/// <summary>The managed header reader against libvips' own reading of real files of every format, and on the hostile corpus.</summary>
public sealed class HeaderProbeTests : IDisposable
{
    private readonly MasterFixtures _files = new("tessera-header-");

    public HeaderProbeTests() => BatchPipeline.ConfigureVips(1);

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData("baseline.jpg", "jpegsave", SourceDecoding.Sequential, "JPEG")]
    [InlineData("progressive.jpg", "jpegsave", SourceDecoding.Whole, "progressive JPEG")]
    [InlineData("plain.png", "pngsave", SourceDecoding.Sequential, "PNG")]
    [InlineData("interlaced.png", "pngsave", SourceDecoding.Whole, "interlaced PNG")]
    [InlineData("anim.gif", "gifsave", SourceDecoding.Whole, "GIF")]
    [InlineData("strips.tif", "tiffsave", SourceDecoding.Sequential, "TIFF in strips")]
    [InlineData("pyramid.tif", "tiffsave", SourceDecoding.Tiled, "tiled TIFF")]
    [InlineData("bigtiff.tif", "tiffsave", SourceDecoding.Tiled, "tiled TIFF")]
    [InlineData("lossy.webp", "webpsave", SourceDecoding.Whole, "WebP")]
    [InlineData("lossless.webp", "webpsave", SourceDecoding.Whole, "WebP")]
    [InlineData("tiled.jp2", "jp2ksave", SourceDecoding.Tiled, "JPEG 2000")]
    [InlineData("whole.jp2", "jp2ksave", SourceDecoding.Whole, "untiled JPEG 2000")]
    [InlineData("photo.avif", "heifsave", SourceDecoding.Whole, "AVIF")]
    public void Reads_the_size_libvips_reads(string name, string saver, SourceDecoding decoding, string format)
    {
        var path = _files.Photo(name, 333, saver, Options(name));

        var header = HeaderProbe.Read(path);

        using var image = VipsImage.NewFromFile(path);
        Assert.Equal((image.Width, image.Height), ((int)header.Width, (int)header.Height));
        Assert.Equal(decoding, header.Decoding);
        Assert.Equal(format, header.Format);
        Assert.InRange(header.DecodeUnitBytes, 1, 64L << 20);
    }

    /// <summary>
    /// A file copied over in place while it is probed: its length was taken whole, then every read finds it cut at some
    /// point, or finds the other version's bytes past that point. The probe answers a header or unknown, never throws
    /// (it once read the TIFF signature, then indexed a cut 16-byte read: a 500 during a copy in place).
    /// </summary>
    [Theory]
    [InlineData("baseline.jpg", "jpegsave")]
    [InlineData("progressive.jpg", "jpegsave")]
    [InlineData("interlaced.png", "pngsave")]
    [InlineData("strips.tif", "tiffsave")]
    [InlineData("pyramid.tif", "tiffsave")]
    [InlineData("bigtiff.tif", "tiffsave")]
    [InlineData("lossy.webp", "webpsave")]
    [InlineData("tiled.jp2", "jp2ksave")]
    public void A_file_cut_or_rewritten_while_it_is_read_is_never_an_exception(string name, string saver)
    {
        var bytes = File.ReadAllBytes(_files.Photo(name, 333, saver, Options(name)));
        var other = File.ReadAllBytes(_files.Photo("other-" + name, 200, saver, Options(name)));
        var cuts = Enumerable.Range(0, 80).Concat(Enumerable.Range(0, 64).Select(i => 80 + (int)((long)(bytes.Length - 80) * i / 64))).Append(bytes.Length);
        var wholeReads = 0;
        foreach (var cut in cuts)
        {
            // The copy may start before the first read or between any two: reads before it see the whole file.
            for (var readsBefore = 0; readsBefore < 4; readsBefore++)
            {
                var reads = 0;
                byte[] Cut(long offset, int count)
                {
                    var end = reads++ < readsBefore ? bytes.Length : cut;
                    return bytes.AsSpan((int)Math.Min(offset, end), (int)Math.Clamp(Math.Min(count, end - offset), 0, count)).ToArray();
                }

                var header = HeaderProbe.Read(bytes.Length, Cut);
                Assert.True(header.Width >= 0 && header.Height >= 0 && header.DecodeUnitBytes >= 0);
                wholeReads += cut == bytes.Length && readsBefore == 0 && header.Width == 333 ? 1 : 0;

                reads = 0;
                byte[] Mixed(long offset, int count)
                {
                    var end = reads++ < readsBefore ? bytes.Length : cut;
                    var result = new byte[(int)Math.Clamp(Math.Min(count, bytes.Length - offset), 0, count)];
                    for (var i = 0; i < result.Length; i++)
                    {
                        var at = offset + i;
                        result[i] = at < end ? bytes[at] : at < other.Length ? other[at] : (byte)0;
                    }

                    return result;
                }

                header = HeaderProbe.Read(bytes.Length, Mixed);
                Assert.True(header.Width >= 0 && header.Height >= 0 && header.DecodeUnitBytes >= 0);
            }
        }

        Assert.Equal(1, wholeReads); // the uncut file is still read: the reads above did reach the formats' readers
    }

    private static VipsArg[] Options(string name) => name switch
    {
        "progressive.jpg" => [("interlace", true)],
        "interlaced.png" => [("interlace", true)],
        "strips.tif" => [("compression", "deflate")],
        "pyramid.tif" => [("tile", true), ("pyramid", true), ("compression", "jpeg")],
        "bigtiff.tif" => [("tile", true), ("bigtiff", true), ("tile_width", 128), ("tile_height", 64)],
        "lossless.webp" => [("lossless", true)],
        "tiled.jp2" => [("tile_width", 128), ("tile_height", 128)],
        "whole.jp2" => [("tile_width", 1024), ("tile_height", 1024)],
        "photo.avif" => [("compression", "av1"), ("effort", 0)],
        _ => [],
    };

    [Fact]
    public void A_progressive_jpeg_needs_two_bytes_a_dct_sample()
    {
        // 4:2:0: an MCU is 16×16 pixels, 4 luma blocks and one of each chroma; 64 coefficients of 2 bytes a block.
        var path = _files.Photo("p.jpg", 333, "jpegsave", ("interlace", true), ("subsample_mode", "on"));
        var header = HeaderProbe.Read(path);
        var mcus = ((333 + 15) / 16) * ((header.Height + 15) / 16);
        Assert.Equal(333L, header.Width);
        Assert.Equal(mcus * 6 * 128, header.DecodeUnitBytes);
    }

    [Fact]
    public void The_frame_header_is_found_behind_megabytes_of_metadata()
    {
        // 80 APP9 segments of 60 KB before the SOF (4.8 MB, past any fixed read): a bomb cannot hide behind padding.
        var path = HostileFiles.ProgressiveJpegBomb(_files.Root, "padded.jpg", 30000, 30000);
        var bytes = File.ReadAllBytes(path);
        var app = new byte[4 + 60000];
        app[0] = 0xFF;
        app[1] = 0xE9;
        app[2] = (byte)((60000 + 2) >> 8);
        app[3] = (byte)((60000 + 2) & 0xFF);
        File.WriteAllBytes(path, [.. bytes[..2], .. Enumerable.Repeat(app, 80).SelectMany(a => a), .. bytes[2..]]);

        var header = HeaderProbe.Read(path);

        Assert.Equal((30000L, 30000L, SourceDecoding.Whole), (header.Width, header.Height, header.Decoding));
        using var image = VipsImage.NewFromFile(path); // libvips reads the same frame header (header only)
        Assert.Equal((30000, 30000), (image.Width, image.Height));
    }

    [Fact]
    public void One_uncompressed_strip_is_read_in_pieces_and_one_compressed_strip_whole()
    {
        // 3000 × 2000 RGB in one strip (what many scanners write): libtiff chops an uncompressed one into ~8 KiB reads.
        using var image = VipsOperation.Image("black", ("width", 3000), ("height", 2000), ("bands", 3));
        var plain = _files.Out("plain.tif");
        var packed = _files.Out("packed.tif");
        image.SaveToFile("tiffsave", plain, ("tile_height", 2000));
        image.SaveToFile("tiffsave", packed, ("tile_height", 2000), ("compression", "deflate"));

        var uncompressed = HeaderProbe.Read(plain);
        Assert.Equal(SourceDecoding.Sequential, uncompressed.Decoding);
        Assert.Equal(3000L * 3, uncompressed.DecodeUnitBytes); // one row: wider than 8 KiB

        var compressed = HeaderProbe.Read(packed);
        Assert.Equal((SourceDecoding.Whole, "TIFF in one strip"), (compressed.Decoding, compressed.Format));
        Assert.Equal(3000L * 2000 * 3, compressed.DecodeUnitBytes);
    }

    [Fact]
    public void Bombs_declare_what_they_claim()
    {
        var folder = _files.Out("bombs");
        var progressive = HeaderProbe.Read(HostileFiles.ProgressiveJpegBomb(folder));
        Assert.Equal((65000L, 65000L, SourceDecoding.Whole), (progressive.Width, progressive.Height, progressive.Decoding));
        Assert.True(progressive.DecodeUnitBytes > 12_000_000_000, $"{progressive.DecodeUnitBytes}");

        var baseline = HeaderProbe.Read(HostileFiles.BaselineJpegBomb(folder));
        Assert.Equal((65000L, 65000L, SourceDecoding.Sequential), (baseline.Width, baseline.Height, baseline.Decoding));
        Assert.True(baseline.DecodeUnitBytes < 16L << 20, $"{baseline.DecodeUnitBytes}");

        var interlaced = HeaderProbe.Read(HostileFiles.InterlacedPngBomb(folder));
        Assert.Equal((60000L * 60000 * 3, SourceDecoding.Whole), (interlaced.DecodeUnitBytes, interlaced.Decoding));

        var png = HeaderProbe.Read(HostileFiles.PngBomb(folder));
        Assert.Equal((60000L * 3 * 2, SourceDecoding.Sequential), (png.DecodeUnitBytes, png.Decoding));

        var tiff = HeaderProbe.Read(HostileFiles.TiffStripBomb(folder));
        Assert.Equal((9_000_000L, 9_000_000L, 81_000_000_000_000L), (tiff.Width, tiff.Height, tiff.Pixels));

        var gif = HeaderProbe.Read(HostileFiles.GifBomb(folder));
        Assert.Equal((65535L * 65535 * 4, SourceDecoding.Whole), (gif.DecodeUnitBytes, gif.Decoding));

        var loop = HeaderProbe.Read(HostileFiles.TiffIfdLoop(folder));
        Assert.Equal((8L, 8L), (loop.Width, loop.Height));

        Assert.Same(SourceHeader.Unknown, HeaderProbe.Read(HostileFiles.Empty(folder)));
    }

    [Fact]
    public void Claims_past_any_number_saturate_instead_of_wrapping()
    {
        // (2^32-1)² pixels do not fit a long: the claim saturates, it never wraps to a small or negative number.
        var header = HeaderProbe.Read(HostileFiles.TiffStripBomb(_files.Out("huge"), width: uint.MaxValue, height: uint.MaxValue, rowsPerStrip: uint.MaxValue));
        Assert.Equal(long.MaxValue, header.Pixels);
        Assert.NotNull((SourceLimits.Default with { MaxSourcePixels = long.MaxValue - 1 }).Refuse(header));
    }

    [Fact]
    public void Garbage_is_unknown_not_an_exception()
    {
        var random = new Random(18);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[random.Next(0, 200)];
            random.NextBytes(bytes);

            // Give some of them a real signature so the format readers walk garbage.
            byte[][] signatures = [[0xFF, 0xD8, 0xFF], [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], "II*\0"u8.ToArray(), "MM\0+"u8.ToArray(), "RIFF\0\0\0\0WEBP"u8.ToArray(), [0, 0, 0, 12, (byte)'j', (byte)'P', (byte)' ', (byte)' '], [0, 0, 0, 24, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'a', (byte)'v', (byte)'i', (byte)'f'], [0xFF, 0x4F, 0xFF, 0x51]];
            var signature = signatures[i % signatures.Length];
            if (bytes.Length >= signature.Length)
            {
                signature.CopyTo(bytes, 0);
            }

            var header = HeaderProbe.Parse(bytes);
            Assert.True(header.Width >= 0 && header.Height >= 0 && header.DecodeUnitBytes >= 0);
        }
    }
}
