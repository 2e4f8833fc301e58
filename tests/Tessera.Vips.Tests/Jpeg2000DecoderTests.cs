using Tessera.Vips;

namespace Tessera.Vips.Tests;

/// <summary>
/// OpenJPEG called directly: the same pixels as libvips' jp2kload, window by window, level by level. Runs alone: one
/// test counts the process's open files and resident memory, which tests running beside it would move.
/// </summary>
[Collection(nameof(LeakTests))]
public sealed class Jpeg2000DecoderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tessera-jp2-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void OpenJpeg_2_5_is_installed_here()
    {
        // libvips42 depends on libopenjp2-7, so wherever libvips reads JPEG 2000 the direct path is there too.
        Assert.True(Jpeg2000Decoder.IsAvailable, "libopenjp2.so.7 (2.5 or later) was not found (apt-get install -y libopenjp2-7)");
    }

    [Theory]
    [InlineData("rgb", false)]
    [InlineData("rgb", true)]
    [InlineData("grey", true)]
    [InlineData("grey", false)]
    public void The_header_facts_are_those_libvips_reports(string kind, bool lossless)
    {
        var path = Make(kind, lossless, 1500, 1000, 256);
        var decoder = Jpeg2000Decoder.Open(path);
        using var byVips = VipsImage.NewFromFile(path);

        Assert.Equal((1500, 1000), (decoder.Width, decoder.Height));
        Assert.Equal(byVips.Bands, decoder.Bands);
        Assert.Equal(8, decoder.Precision);
        Assert.Equal((256, 256), (decoder.TileWidth, decoder.TileHeight));
        Assert.Equal(byVips.PageCount, decoder.Resolutions);
        Assert.Null(decoder.IccProfile);
        for (var r = 0; r < decoder.Resolutions; r++)
        {
            using var level = VipsImage.NewFromFile(path, ("page", r));
            Assert.Equal((level.Width, level.Height), (decoder.LevelWidth(r), decoder.LevelHeight(r)));
        }
    }

    public static TheoryData<string, bool, int, int, int, int, int> Windows() => new()
    {
        // kind, lossless, reduction, x, y, width, height (level coordinates)
        { "rgb", true, 0, 0, 0, 256, 256 },
        { "rgb", true, 0, 200, 130, 300, 290 },
        { "rgb", true, 0, 1400, 900, 100, 100 },
        { "rgb", true, 1, 60, 70, 300, 200 },
        { "rgb", true, 2, 0, 0, 375, 250 },
        { "rgb", true, 3, 10, 5, 177, 120 },
        { "rgb", false, 0, 0, 0, 256, 256 },
        { "rgb", false, 0, 201, 133, 517, 390 },
        { "rgb", false, 1, 128, 128, 128, 128 },
        { "rgb", false, 1, 700, 450, 50, 50 },
        { "rgb", false, 2, 33, 21, 300, 200 },
        { "rgb", false, 3, 0, 0, 188, 125 },
        { "grey", true, 0, 255, 255, 2, 2 },
        { "rgba", false, 1, 40, 30, 333, 222 },
        { "rgba", true, 0, 250, 250, 20, 300 },
        { "grey", false, 1, 5, 7, 600, 400 },
        { "grey", false, 2, 0, 0, 375, 250 },
    };

    [Theory]
    [MemberData(nameof(Windows))]
    public void A_window_of_a_level_is_what_jp2kload_gives_for_it(string kind, bool lossless, int reduction, int x, int y, int width, int height)
    {
        var path = Make(kind, lossless, 1500, 1000, 256);
        var decoder = Jpeg2000Decoder.Open(path);
        var ours = new byte[width * height * decoder.Bands];
        decoder.DecodeLevel(reduction, x, y, width, height, ours);

        using var level = VipsImage.NewFromFile(path, ("page", reduction));
        using var window = level.ExtractArea(x, y, width, height);
        Assert.Equal(window.ToPixels(), ours);
    }

    [Theory]
    [InlineData(0, 37, 100, 1400, 850)]
    [InlineData(1, 0, 1, 750, 499)]
    [InlineData(2, 10, 63, 300, 120)]
    public void A_window_decoded_in_strips_of_one_tile_row_is_the_window_decoded_at_once(int reduction, int x, int y, int width, int height)
    {
        var path = Make("rgb", lossless: false, 1500, 1000, 256);
        var whole = Jpeg2000Decoder.Open(path);
        var expected = new byte[width * height * 3];
        whole.DecodeLevel(reduction, x, y, width, height, expected);

        var strips = Jpeg2000Decoder.Open(path);
        strips.StripSamples = 1;
        var actual = new byte[width * height * 3];
        strips.DecodeLevel(reduction, x, y, width, height, actual);
        Assert.Equal(expected, actual);

        using var level = VipsImage.NewFromFile(path, ("page", reduction));
        using var window = level.ExtractArea(x, y, width, height);
        Assert.Equal(window.ToPixels(), actual);
    }

    [Fact]
    public void Sixteen_bit_samples_come_out_as_their_high_byte_as_libvips_brings_them_to_8_bits()
    {
        var path = Path.Combine(_dir, "deep.jp2");
        using (var photo = Photo("rgb", 600, 400))
        using (var wide = photo.Cast(BandFormat.UShort))
        using (var deep = wide.Call("linear", ("a", new[] { 257.0 }), ("b", new[] { 0.0 })))
        using (var ushorts = deep.Cast(BandFormat.UShort))
        using (var tagged = ushorts.Call("copy", ("interpretation", (int)Interpretation.Rgb16)))
        {
            tagged.SaveToFile("jp2ksave", path, ("tile_width", 256), ("tile_height", 256), ("lossless", true));
        }

        var decoder = Jpeg2000Decoder.Open(path);
        Assert.Equal(16, decoder.Precision);
        var ours = new byte[300 * 200 * 3];
        decoder.DecodeLevel(1, 0, 0, 300, 200, ours);

        using var level = VipsImage.NewFromFile(path, ("page", 1));
        Assert.Equal(BandFormat.UShort, level.Format);
        var samples = level.ToPixels();
        var expected = new byte[samples.Length / 2];
        for (var i = 0; i < expected.Length; i++)
        {
            expected[i] = samples[(2 * i) + 1];
        }

        Assert.Equal(expected, ours);
    }

    [Fact]
    public void A_full_resolution_region_becomes_the_level_window_OpenJpeg_maps_it_to()
    {
        var path = Make("rgb", lossless: true, 1500, 1000, 256);
        var decoder = Jpeg2000Decoder.Open(path);

        // [⌈101/4⌉, ⌈(101 + 1001)/4⌉) = [26, 276), [⌈3/4⌉, ⌈(3 + 997)/4⌉) = [1, 250).
        Assert.Equal((26, 1, 250, 249), decoder.ReducedRegion(2, 101, 3, 1001, 997));
        var byRegion = new byte[250 * 249 * 3];
        decoder.DecodeRegion(2, 101, 3, 1001, 997, byRegion);
        var byWindow = new byte[250 * 249 * 3];
        decoder.DecodeLevel(2, 26, 1, 250, 249, byWindow);
        Assert.Equal(byWindow, byRegion);

        // Regions narrower than a level pixel still give the pixel they touch, inside the level.
        Assert.Equal((1, 1, 1, 1), decoder.ReducedRegion(2, 1, 1, 1, 1));
        Assert.Equal((187, 124, 1, 1), decoder.ReducedRegion(3, 1499, 999, 1, 1));
        decoder.DecodeRegion(3, 1499, 999, 1, 1, new byte[3]);
    }

    [Fact]
    public void Rows_go_a_pitch_apart_and_nothing_past_the_window_is_written()
    {
        var path = Make("rgb", lossless: false, 1500, 1000, 256);
        var decoder = Jpeg2000Decoder.Open(path);
        const int width = 130, height = 70, pitch = (width * 3) + 17;
        var packed = new byte[width * height * 3];
        decoder.DecodeLevel(1, 100, 100, width, height, packed);

        var canvas = new byte[(height * pitch) + 5];
        canvas.AsSpan().Fill(0xEE);
        decoder.DecodeLevel(1, 100, 100, width, height, canvas, pitch);
        for (var y = 0; y < height; y++)
        {
            Assert.Equal(packed.AsSpan(y * width * 3, width * 3).ToArray(), canvas.AsSpan(y * pitch, width * 3).ToArray());
            Assert.All(canvas.AsSpan((y * pitch) + (width * 3), 17).ToArray(), b => Assert.Equal(0xEE, b));
        }
    }

    [Fact]
    public void A_decoded_image_is_an_8_bit_srgb_image_of_the_window()
    {
        var path = Make("rgb", lossless: false, 1500, 1000, 256);
        var decoder = Jpeg2000Decoder.Open(path);
        using var image = decoder.DecodeLevelToImage(1, 10, 20, 200, 100);
        Assert.Equal((200, 100, 3, BandFormat.UChar, Interpretation.Srgb), (image.Width, image.Height, image.Bands, image.Format, image.Interpretation));
        using var level = VipsImage.NewFromFile(path, ("page", 1));
        using var window = level.ExtractArea(10, 20, 200, 100);
        Assert.Equal(window.ToPixels(), image.ToPixels());
    }

    [Fact]
    public void Windows_outside_the_level_and_short_buffers_are_refused_with_the_sizes_named()
    {
        var decoder = Jpeg2000Decoder.Open(Make("grey", lossless: false, 1500, 1000, 256));
        var buffer = new byte[1000 * 1000];
        var outside = Assert.Throws<ArgumentOutOfRangeException>(() => decoder.DecodeLevel(1, 700, 0, 51, 10, buffer));
        Assert.Contains("750x500", outside.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => decoder.DecodeLevel(decoder.Resolutions, 0, 0, 1, 1, buffer));
        Assert.Throws<ArgumentOutOfRangeException>(() => decoder.DecodeLevel(-1, 0, 0, 1, 1, buffer));
        Assert.Throws<ArgumentException>(() => decoder.DecodeLevel(0, 0, 0, 100, 100, new byte[9999]));
    }

    [Fact]
    public void A_truncated_file_throws_instead_of_giving_a_partial_image()
    {
        var path = Make("rgb", lossless: false, 1500, 1000, 256);
        var bytes = File.ReadAllBytes(path);
        var truncated = Path.Combine(_dir, "truncated.jp2");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length * 2 / 3)]);

        // The main header is whole, so it opens; the tiles past the cut are missing, so decoding them fails.
        var decoder = Jpeg2000Decoder.Open(truncated);
        var target = new byte[1500 * 1000 * 3];
        var error = Assert.Throws<Jpeg2000Exception>(() => decoder.DecodeLevel(0, 0, 0, 1500, 1000, target));
        Assert.False(string.IsNullOrWhiteSpace(error.Message));

        // Cut inside the header: it does not even open.
        File.WriteAllBytes(truncated, bytes[..100]);
        Assert.Throws<Jpeg2000Exception>(() => Jpeg2000Decoder.Open(truncated));
    }

    [Fact]
    public void A_corrupted_tile_header_throws_and_the_next_decode_of_a_sound_file_still_works()
    {
        var path = Make("rgb", lossless: false, 1500, 1000, 256);
        var bytes = File.ReadAllBytes(path);

        // Overwrite the tenth tile-part header (SOT marker FF90 and its 10 bytes) with noise: the main header stays
        // sound, so the file opens, and the decode meets the damage.
        var sot = 0;
        for (var i = 0; i < 10; i++)
        {
            sot += IndexOf(bytes[(sot + 1)..], [0xFF, 0x90]) + 1;
        }

        Assert.True(sot > 0);
        var damaged = bytes.ToArray();
        new Random(7).NextBytes(damaged.AsSpan(sot, 12));
        var corrupted = Path.Combine(_dir, "corrupted.jp2");
        File.WriteAllBytes(corrupted, damaged);

        var target = new byte[1500 * 1000 * 3];
        var decoder = Jpeg2000Decoder.Open(corrupted);
        var error = Assert.Throws<Jpeg2000Exception>(() => decoder.DecodeLevel(0, 0, 0, 1500, 1000, target));
        Assert.Contains("could not be decoded: ", error.Message, StringComparison.Ordinal);

        Jpeg2000Decoder.Open(path).DecodeLevel(0, 0, 0, 256, 256, target);
    }

    [Fact]
    public void A_file_that_is_not_JPEG_2000_is_refused_by_its_first_bytes()
    {
        var path = Path.Combine(_dir, "not.jp2");
        File.WriteAllText(path, "not a JPEG 2000 file");
        var error = Assert.Throws<Jpeg2000Exception>(() => Jpeg2000Decoder.Open(path));
        Assert.Contains("Expected a JP2 file or J2K codestream", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_replaced_by_another_image_is_noticed_on_the_next_decode()
    {
        var path = Make("rgb", lossless: false, 1500, 1000, 256);
        var decoder = Jpeg2000Decoder.Open(path);
        File.Copy(Make("grey", lossless: false, 1500, 1000, 256), path, overwrite: true);
        var error = Assert.Throws<Jpeg2000Exception>(() => decoder.DecodeLevel(0, 0, 0, 10, 10, new byte[300]));
        Assert.Contains("changed since it was opened", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Subsampled_chroma_is_refused_for_libvips_to_read()
    {
        var path = Path.Combine(_dir, "subsampled.jp2");
        using (var photo = Photo("rgb", 600, 400))
        {
            photo.SaveToFile("jp2ksave", path, ("tile_width", 256), ("tile_height", 256), ("subsample_mode", "on"), ("Q", 45));
        }

        Assert.False(Jpeg2000Decoder.TryOpen(path, out var decoder, out var refusal));
        Assert.Null(decoder);
        Assert.Contains("subsampled", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Decodes_on_many_threads_at_once_give_the_bytes_of_one_thread()
    {
        var path = Make("rgb", lossless: false, 1500, 1000, 256);
        var decoder = Jpeg2000Decoder.Open(path);
        var windows = new List<(int R, int X, int Y, int W, int H)>();
        var random = new Random(42);
        for (var i = 0; i < 12; i++)
        {
            var r = random.Next(0, 3);
            int lw = decoder.LevelWidth(r), lh = decoder.LevelHeight(r);
            int w = random.Next(1, Math.Min(300, lw)), h = random.Next(1, Math.Min(300, lh));
            windows.Add((r, random.Next(0, lw - w + 1), random.Next(0, lh - h + 1), w, h));
        }

        var expected = windows.Select(w => Decode(decoder, w)).ToArray();
        var results = new byte[8 * windows.Count][];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => results[i] = Decode(decoder, windows[i % windows.Count]));
        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal(expected[i % windows.Count], results[i]);
        }

        static byte[] Decode(Jpeg2000Decoder decoder, (int R, int X, int Y, int W, int H) w)
        {
            var pixels = new byte[w.W * w.H * decoder.Bands];
            decoder.DecodeLevel(w.R, w.X, w.Y, w.W, w.H, pixels);
            return pixels;
        }
    }

    [Fact]
    public void Hundreds_of_decodes_and_failures_leave_no_memory_or_open_files_behind()
    {
        var path = Make("rgb", lossless: false, 1500, 1000, 256);
        var bytes = File.ReadAllBytes(path);
        var truncated = Path.Combine(_dir, "cut.jp2");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        var decoder = Jpeg2000Decoder.Open(path);
        var broken = Jpeg2000Decoder.Open(truncated);
        var pixels = new byte[300 * 300 * 3];
        var whole = new byte[1500 * 1000 * 3];

        void Round(int i)
        {
            decoder.DecodeLevel(i % 2, (i * 37) % 400, (i * 53) % 200, 300, 300, pixels);
            if (i % 10 == 0)
            {
                Assert.Throws<Jpeg2000Exception>(() => broken.DecodeLevel(0, 0, 0, 1500, 1000, whole));
            }
        }

        Round(0);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var files = Directory.GetFiles("/proc/self/fd").Length;
        var rss = System.Diagnostics.Process.GetCurrentProcess().WorkingSet64;

        // Each decode allocates a 1 MiB stream buffer and 1 MB of samples: a leak of either is 800 MB by the end.
        for (var i = 1; i <= 400; i++)
        {
            Round(i);
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        var growth = process.WorkingSet64 - rss;
        Assert.True(growth < 96L << 20, $"RSS grew by {growth >> 20} MB over 400 decodes");
        Assert.InRange(Directory.GetFiles("/proc/self/fd").Length, 0, files + 2);
    }

    private string Make(string kind, bool lossless, int width, int height, int tile)
    {
        var path = Path.Combine(_dir, $"{kind}-{(lossless ? "lossless" : "lossy")}-{width}x{height}-{tile}-{Guid.NewGuid():N}.jp2");
        using var photo = Photo(kind, width, height);
        photo.SaveToFile("jp2ksave", path, ("tile_width", tile), ("tile_height", tile), ("lossless", lossless), ("Q", 45));
        return path;
    }

    private static VipsImage Photo(string kind, int width, int height)
    {
        using var file = VipsImage.NewFromFile(Sample("Kleiber_by_Lukas_Baubkus.jpg"));
        using var small = file.Resize((double)width / file.Width, (double)height / file.Height);
        using var cut = small.ExtractArea(0, 0, width, height);
        if (kind == "rgba")
        {
            // An alpha band that varies, so a band mix-up would show.
            using var grey = cut.Colourspace("b-w");
            return VipsOperation.Image("bandjoin", ("in", new[] { cut, grey }));
        }

        return kind == "grey" ? cut.Colourspace("b-w") : cut.Call("copy");
    }

    private static int IndexOf(byte[] data, byte[] pattern) => data.AsSpan().IndexOf(pattern);

    private static string Sample(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "samples", name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"Expected samples/{name} in a parent of {AppContext.BaseDirectory}.");
    }
}
