using Tessera.Testing;
using Tessera.Vips;

namespace Tessera.Vips.Tests;

/// <summary>libjpeg-turbo through its TurboJPEG API: the codec of the JPEG tile path.</summary>
public sealed class JpegTests
{
    [Fact]
    public void The_library_is_installed_here()
    {
        // The README's install line brings libturbojpeg0; without it the server still works, through libvips only.
        Assert.True(Jpeg.IsAvailable, "libturbojpeg.so.0 was not found (apt-get install -y libturbojpeg0)");
    }

    [Theory]
    [InlineData(3, 0)]
    [InlineData(3, 21)]
    [InlineData(1, 5)]
    public void An_encode_is_what_libvips_encodes_and_a_decode_what_libvips_decodes(int bands, int spare)
    {
        Assert.SkipUnless(Jpeg.IsAvailable, "libturbojpeg0 is not installed");
        using var photo = Photo(bands, 301, 203);
        var packed = photo.ToPixels();

        // Rows a pitch apart, with spare bytes after each that must not be read.
        int width = photo.Width, height = photo.Height, pitch = (width * bands) + spare;
        var padded = new byte[((height - 1) * pitch) + (width * bands)];
        for (var y = 0; y < height; y++)
        {
            packed.AsSpan(y * width * bands, width * bands).CopyTo(padded.AsSpan(y * pitch));
        }

        var output = new byte[Jpeg.MaxEncodedBytes(width, height, bands)];
        var length = Jpeg.Encode(padded, width, height, pitch, bands, 85, output);
        var encoded = output[..length];

        // Same codec, same settings as libvips' jpegsave at 4:2:0: the same picture.
        var byVips = photo.SaveToBuffer("jpegsave_buffer", ("Q", 85), ("subsample_mode", "on"), ("strip", true));
        using var ours = VipsImage.NewFromBuffer(encoded);
        using var theirs = VipsImage.NewFromBuffer(byVips);
        Assert.Equal(theirs.ToPixels(), ours.ToPixels());

        // Decoding into a window of a larger buffer touches only the window.
        var canvas = new byte[(height + 2) * pitch];
        canvas.AsSpan().Fill(0xEE);
        Jpeg.Decode(encoded, canvas.AsSpan(pitch), width, height, pitch, bands);
        var decoded = ours.ToPixels();
        for (var y = 0; y < height; y++)
        {
            Assert.Equal(decoded.AsSpan(y * width * bands, width * bands).ToArray(), canvas.AsSpan((y + 1) * pitch, width * bands).ToArray());
            Assert.All(canvas.AsSpan(((y + 1) * pitch) + (width * bands), spare).ToArray(), b => Assert.Equal(0xEE, b));
        }

        Assert.All(canvas.AsSpan(0, pitch).ToArray(), b => Assert.Equal(0xEE, b));
    }

    [Fact]
    public void Damaged_truncated_or_missized_streams_are_refused()
    {
        Assert.SkipUnless(Jpeg.IsAvailable, "libturbojpeg0 is not installed");
        using var photo = Photo(3, 64, 48);
        var jpeg = photo.SaveToBuffer("jpegsave_buffer", ("Q", 85), ("strip", true));
        var target = new byte[64 * 48 * 3];

        Assert.Throws<JpegException>(() => Jpeg.Decode("not a jpeg at all"u8, target, 64, 48, 64 * 3, 3));
        Assert.Throws<JpegException>(() => Jpeg.Decode(jpeg.AsSpan(0, jpeg.Length * 2 / 3), target, 64, 48, 64 * 3, 3));
        Assert.Throws<JpegException>(() => Jpeg.Decode(jpeg, new byte[32 * 48 * 3], 32, 48, 32 * 3, 3));

        // Entropy-coded data overwritten halfway: the decoder could paper over it; strict decoding refuses it.
        var damaged = jpeg.ToArray();
        damaged.AsSpan(damaged.Length / 2, 40).Fill(0xFF);
        Assert.Throws<JpegException>(() => Jpeg.Decode(damaged, target, 64, 48, 64 * 3, 3));

        // And the codec is still fine afterwards.
        Jpeg.Decode(jpeg, target, 64, 48, 64 * 3, 3);
    }

    [Theory]
    [InlineData(3, 256, 256)]
    [InlineData(1, 256, 256)]
    [InlineData(3, 100, 36)]
    public void Verify_passes_whole_streams_and_refuses_the_damage_a_strict_decode_refuses(int bands, int width, int height)
    {
        Assert.SkipUnless(Jpeg.IsAvailable, "libturbojpeg0 is not installed");
        using var photo = Photo(bands, width, height);
        var jpeg = photo.SaveToBuffer("jpegsave_buffer", ("Q", 85), ("strip", true));
        Jpeg.Verify(jpeg, width, height, bands);

        // Garbage without markers in the middle of the entropy-coded data, as a damaged disk sector gives. Some garbage
        // happens to decode (no decoder can tell it): of those a full strict decode refuses, Verify must refuse every one,
        // since decoding at an eighth still reads every coefficient.
        var scan = jpeg.AsSpan().IndexOf([(byte)0xFF, (byte)0xDA]);
        var refused = 0;
        for (var seed = 0; seed < 20; seed++)
        {
            var damaged = jpeg.ToArray();
            var random = new Random(seed);
            for (var i = scan + ((jpeg.Length - scan) / 3); i < scan + ((jpeg.Length - scan) / 3) + 60; i++)
            {
                damaged[i] = (byte)random.Next(0, 0xFF);
            }

            try
            {
                Jpeg.Decode(damaged, new byte[width * height * bands], width, height, width * bands, bands);
            }
            catch (JpegException)
            {
                refused++;
                Assert.Throws<JpegException>(() => Jpeg.Verify(damaged, width, height, bands));
            }
        }

        Assert.True(refused >= 10, $"Only {refused} of 20 damaged streams were refused by the full decode");
        Assert.Throws<JpegException>(() => Jpeg.Verify(jpeg.AsSpan(0, jpeg.Length * 2 / 3), width, height, bands));
        Assert.Throws<JpegException>(() => Jpeg.Verify(jpeg, width + 8, height, bands));
        Assert.Throws<ArgumentOutOfRangeException>(() => Jpeg.Verify(jpeg, width, height, 4));
    }

    [Theory]
    [InlineData(3, 1)]
    [InlineData(3, 37)]
    [InlineData(3, 112)]
    [InlineData(1, 64)]
    public void A_frame_shortened_to_its_top_rows_decodes_exactly_those_rows(int bands, int rows)
    {
        Assert.SkipUnless(Jpeg.IsAvailable, "libturbojpeg0 is not installed");
        using var photo = Photo(bands, 96, 128);
        var jpeg = photo.SaveToBuffer("jpegsave_buffer", ("Q", 90), ("strip", true));
        var whole = new byte[96 * 128 * bands];
        Jpeg.Decode(jpeg, whole, 96, 128, 96 * bands, bands);

        // The frame header says fewer rows; the entropy-coded data still holds all 128 (as a TIFF tile's does).
        var shortened = WithFrameHeight(jpeg, rows);
        var top = new byte[(rows * 96 * bands) + 7];
        top.AsSpan().Fill(0xEE);
        Jpeg.DecodeTop(shortened, top, 96, rows, 96 * bands, bands);
        Assert.Equal(whole.AsSpan(0, rows * 96 * bands).ToArray(), top.AsSpan(0, rows * 96 * bands).ToArray());
        Assert.All(top.AsSpan(rows * 96 * bands).ToArray(), b => Assert.Equal(0xEE, b));

        // The strict decode still calls the unread data what it would be in a whole stream: damage.
        Assert.Throws<JpegException>(() => Jpeg.Decode(shortened, top, 96, rows, 96 * bands, bands));
    }

    [Fact]
    public void A_shortened_frame_with_damage_in_the_rows_kept_is_refused()
    {
        Assert.SkipUnless(Jpeg.IsAvailable, "libturbojpeg0 is not installed");
        using var photo = Photo(3, 96, 128);
        var jpeg = photo.SaveToBuffer("jpegsave_buffer", ("Q", 90), ("strip", true));
        var shortened = WithFrameHeight(jpeg, 120);
        var target = new byte[96 * 120 * 3];

        // Entropy-coded data overwritten early on: the rows decoded cross it.
        var scan = shortened.AsSpan().IndexOf([(byte)0xFF, (byte)0xDA]);
        var damaged = shortened.ToArray();
        damaged.AsSpan(scan + 200, 40).Fill(0xFF);
        Assert.Throws<JpegException>(() => Jpeg.DecodeTop(damaged, target, 96, 120, 96 * 3, 3));

        // Cut short (no EOI at all) is damage too, not rows left unread.
        Assert.Throws<JpegException>(() => Jpeg.DecodeTop(shortened.AsSpan(0, scan + 300), target, 96, 120, 96 * 3, 3));
        Jpeg.DecodeTop(shortened, target, 96, 120, 96 * 3, 3);
    }

    [Fact]
    public void Buffers_too_small_and_unsupported_layouts_are_refused_before_any_native_call()
    {
        var pixels = new byte[10 * 10 * 3];
        Assert.Throws<ArgumentException>(() => Jpeg.Decode([0xFF, 0xD8], new byte[(10 * 10 * 3) - 1], 10, 10, 30, 3));
        Assert.Throws<ArgumentException>(() => Jpeg.Decode([0xFF, 0xD8], pixels, 10, 10, 29, 3));
        Assert.Throws<ArgumentException>(() => Jpeg.Decode([0xFF, 0xD8], new byte[10 * 10 * 4], 10, 10, 40, 4));
        Assert.Throws<ArgumentException>(() => Jpeg.Encode(pixels, 10, 10, 30, 3, 85, new byte[10]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Jpeg.Encode(pixels, 10, 10, 30, 3, 0, new byte[100_000]));
    }

    /// <summary>The JPEG with its frame header (SOF0) saying <paramref name="rows"/> rows.</summary>
    private static byte[] WithFrameHeight(byte[] jpeg, int rows)
    {
        var copy = jpeg.ToArray();
        var sof = copy.AsSpan().IndexOf([(byte)0xFF, (byte)0xC0]);
        Assert.True(sof > 0, "no baseline frame header");
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(sof + 5), (ushort)rows);
        return copy;
    }

    [Fact]
    public void The_codec_clock_counts_the_time_spent_in_decodes_and_encodes()
    {
        Assert.SkipUnless(Jpeg.IsAvailable, "libturbojpeg0 is not installed");
        using var photo = Photo(3, 1200, 900);
        var pixels = photo.ToPixels();
        var output = new byte[Jpeg.MaxEncodedBytes(1200, 900, 3)];
        var length = Jpeg.Encode(pixels, 1200, 900, 1200 * 3, 3, 90, output);

        // The clock is process-wide and other tests run codecs at the same time, so it can only be checked from below:
        // it must have gone on by at least the time of these calls (which is nearly all codec work).
        foreach (var encode in new[] { false, true })
        {
            var before = Jpeg.CodecTime;
            var spent = TimeSpan.Zero;
            for (var i = 0; i < 10; i++)
            {
                var start = System.Diagnostics.Stopwatch.GetTimestamp();
                _ = encode ? Jpeg.Encode(pixels, 1200, 900, 1200 * 3, 3, 90, output) : DecodeInto(output.AsSpan(0, length), pixels);
                spent += System.Diagnostics.Stopwatch.GetElapsedTime(start);
            }

            var counted = Jpeg.CodecTime - before;
            Assert.True(counted >= spent * 0.9, $"{(encode ? "encodes" : "decodes")}: the clock went on {counted.TotalMilliseconds:F2} ms during {spent.TotalMilliseconds:F2} ms of calls");
        }

        static int DecodeInto(ReadOnlySpan<byte> jpeg, Span<byte> target)
        {
            Jpeg.Decode(jpeg, target, 1200, 900, 1200 * 3, 3);
            return 0;
        }
    }

    private static VipsImage Photo(int bands, int width, int height)
    {
        using var file = VipsImage.NewFromFile(Samples.PathOf(Samples.Kleiber));
        using var small = file.Resize((double)width / file.Width, (double)height / file.Height);
        using var cut = small.ExtractArea(0, 0, width, height);
        return bands == 1 ? cut.Colourspace("b-w") : cut.Call("copy");
    }
}
