using Tessera.Vips;

namespace Tessera.Vips.Tests;

public sealed class VipsOperationTests
{
    [Fact]
    public void The_binding_reports_libvips_8()
    {
        Assert.StartsWith("8.", VipsRuntime.Version);
    }

    [Fact]
    public void Raw_pixels_survive_a_round_trip_through_libvips()
    {
        byte[] pixels = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
        using var image = VipsImage.FromPixels(pixels, 2, 2, 3);

        Assert.Equal((2, 2, 3), (image.Width, image.Height, image.Bands));
        Assert.Equal(pixels, image.ToPixels());
        Assert.Equal([10.0, 11.0, 12.0], image.GetPoint(1, 1));
    }

    [Fact]
    public void An_image_copied_into_memory_exposes_its_pixels_in_place_and_others_do_not()
    {
        using var xy = VipsOperation.Image("xyz", ("width", 37), ("height", 23));
        using var image = xy.Cast(BandFormat.UChar);
        Assert.False(image.IsInMemory);
        Assert.Throws<InvalidOperationException>(() => image.MemoryPixels.Length);

        using var held = image.CopyMemory();
        using var shared = held.Share();
        Assert.True(shared.IsInMemory);
        Assert.Equal(image.ToPixels(), shared.MemoryPixels.ToArray());
    }

    [Theory]
    [InlineData(256, 0)]
    [InlineData(7, 3)]
    [InlineData(1, 1)]
    [InlineData(500, 500)]
    public void WriteTo_gives_the_pixels_whatever_the_strips(int strip, int firstStrip)
    {
        // Every pixel distinct enough: x and y in two bands, a third from both.
        using var xy = VipsOperation.Image("xyz", ("width", 97), ("height", 61));
        using var third = xy.Call("linear", ("a", new double[] { 1, 3 }), ("b", new double[] { 0, 0 })).Call("bandmean");
        using var joined = VipsOperation.Image("bandjoin", ("in", new[] { xy, third }));
        using var image = joined.Cast(BandFormat.UChar);
        var expected = image.ToPixels();
        var buffer = new byte[expected.Length + 5];
        buffer.AsSpan().Fill(0xEE);

        image.WriteTo(buffer, strip, firstStrip);

        Assert.Equal(expected, buffer[..expected.Length]);
        Assert.All(buffer[expected.Length..], b => Assert.Equal(0xEE, b));
    }

    [Fact]
    public void WriteRowsTo_gives_a_strip_of_rows_a_pitch_apart()
    {
        using var xy = VipsOperation.Image("xyz", ("width", 97), ("height", 61));
        using var image = xy.Cast(BandFormat.UChar);
        var expected = image.ToPixels();
        const int rowBytes = 97 * 2, pitch = rowBytes + 9, top = 13, rows = 20;
        var buffer = new byte[((rows - 1) * pitch) + rowBytes];
        buffer.AsSpan().Fill(0xEE);

        image.WriteRowsTo(buffer, top, rows, pitch);

        for (var y = 0; y < rows; y++)
        {
            Assert.Equal(expected.AsSpan((top + y) * rowBytes, rowBytes).ToArray(), buffer.AsSpan(y * pitch, rowBytes).ToArray());
            if (y < rows - 1)
            {
                Assert.All(buffer.AsSpan((y * pitch) + rowBytes, pitch - rowBytes).ToArray(), b => Assert.Equal(0xEE, b));
            }
        }

        Assert.Throws<ArgumentException>(() => image.WriteRowsTo(new byte[buffer.Length - 1], top, rows, pitch));
        Assert.Throws<ArgumentOutOfRangeException>(() => image.WriteRowsTo(buffer, 50, 20, pitch));
        Assert.Throws<ArgumentOutOfRangeException>(() => image.WriteRowsTo(buffer, top, rows, rowBytes - 1));
    }

    [Fact]
    public void WriteTo_refuses_short_buffers_and_wide_formats()
    {
        using var image = VipsOperation.Image("black", ("width", 10), ("height", 10), ("bands", 3));
        using var wide = image.Cast(BandFormat.Float);

        Assert.Throws<ArgumentException>(() => image.WriteTo(new byte[299]));
        Assert.Throws<ArgumentException>(() => wide.WriteTo(new byte[1200]));
        Assert.Throws<ArgumentOutOfRangeException>(() => image.WriteTo(new byte[300], strip: 0));
    }

    [Fact]
    public void A_corrupt_source_fails_WriteTo_with_libvips_message()
    {
        // Noise does not compress, so a third of the file cuts the scan well after the header.
        using var gauss = VipsOperation.Image("gaussnoise", ("width", 300), ("height", 300));
        using var noise = gauss.Cast(BandFormat.UChar);
        var jpeg = noise.SaveToBuffer("jpegsave_buffer", ("Q", 95));
        using var truncated = VipsImage.NewFromBuffer(jpeg[..(jpeg.Length / 3)], ("fail_on", "truncated"));

        var error = Assert.Throws<VipsException>(() => truncated.WriteTo(new byte[300 * 300]));
        Assert.Contains("vips_region_fetch", error.Message);
    }

    [Fact]
    public void Pixels_made_like_another_image_keep_its_profile_orientation_and_interpretation()
    {
        using var black = VipsOperation.Image("black", ("width", 4), ("height", 4), ("bands", 1));
        using var grey = black.Call("copy", ("interpretation", "b-w"));
        using var turned = grey.WithInt("orientation", 6);
        using var made = VipsImage.FromPixelsLike(new byte[2 * 2], 2, 2, turned);

        Assert.Equal((2, 2, 1, Interpretation.BW), (made.Width, made.Height, made.Bands, made.Interpretation));
        Assert.Equal(6, made.GetInt("orientation"));
        Assert.False(made.HasField("icc-profile-data"));
    }

    [Fact]
    public void Trimming_the_native_heap_is_harmless()
    {
        VipsRuntime.TrimNativeHeap();
        using var image = VipsOperation.Image("black", ("width", 8), ("height", 8));
        Assert.Equal(0, image.Average());
    }

    [Fact]
    public void A_native_buffer_is_writable_and_refuses_use_after_dispose()
    {
        using var buffer = new NativeBuffer(1000);
        buffer.Span.Fill(9);
        Assert.Equal(9000, buffer.Span.ToArray().Sum(b => b));
        buffer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => buffer.Span.Length);
    }

    [Fact]
    public void An_encoded_jpeg_decodes_to_the_same_size()
    {
        using var black = VipsOperation.Image("black", ("width", 64), ("height", 32), ("bands", 3));
        var jpeg = black.SaveToBuffer("jpegsave_buffer", ("Q", 80), ("strip", true));
        using var decoded = VipsImage.NewFromBuffer(jpeg);

        Assert.Equal([0xFF, 0xD8], jpeg[..2]);
        Assert.Equal((64, 32, 3), (decoded.Width, decoded.Height, decoded.Bands));
    }

    [Fact]
    public void Enum_arguments_take_their_nicks_and_array_arguments_take_doubles()
    {
        using var black = VipsOperation.Image("black", ("width", 10), ("height", 20), ("bands", 3));
        using var rotated = black.Rot("d90");
        using var embedded = rotated.Call("embed", ("x", 5), ("y", 5), ("width", 30), ("height", 20), ("extend", "background"), ("background", new double[] { 255, 0, 0 }));

        Assert.Equal((20, 10), (rotated.Width, rotated.Height));
        Assert.Equal([255.0, 0, 0], embedded.GetPoint(0, 0));
        Assert.Equal([0.0, 0, 0], embedded.GetPoint(6, 6));
    }

    [Fact]
    public void Image_arrays_join_images()
    {
        using var a = VipsOperation.Image("black", ("width", 10), ("height", 10));
        using var b = VipsOperation.Image("black", ("width", 10), ("height", 10));
        using var joined = VipsOperation.Image("arrayjoin", ("in", new[] { a, b }), ("across", 2));

        Assert.Equal((20, 10), (joined.Width, joined.Height));
    }

    [Fact]
    public void An_unknown_operation_is_a_clear_error()
    {
        var e = Assert.Throws<VipsException>(() => VipsOperation.Image("no_such_operation"));
        Assert.Contains("no_such_operation", e.Message);
    }

    [Fact]
    public void A_misspelt_argument_is_an_error_not_a_warning()
    {
        var e = Assert.Throws<VipsException>(() => VipsOperation.Image("black", ("width", 1), ("height", 1), ("widht", 3)));
        Assert.Contains("widht", e.Message);
    }

    [Fact]
    public void A_bad_enum_nick_names_the_argument()
    {
        using var black = VipsOperation.Image("black", ("width", 4), ("height", 4));
        var e = Assert.Throws<VipsException>(() => black.Rot("d45"));
        Assert.Contains("angle", e.Message);
    }

    [Fact]
    public void A_failing_operation_carries_the_libvips_error_text()
    {
        using var black = VipsOperation.Image("black", ("width", 4), ("height", 4));
        var e = Assert.Throws<VipsException>(() => black.ExtractArea(2, 2, 10, 10));
        Assert.Contains("extract_area", e.Message);
        Assert.NotEmpty(e.NativeMessage);
    }

    [Fact]
    public void Bytes_that_are_not_an_image_are_refused()
    {
        Assert.Throws<VipsException>(() => VipsImage.NewFromBuffer("not an image at all"u8.ToArray()));
    }

    [Fact]
    public void A_truncated_jpeg_fails_when_decoded_strictly()
    {
        using var black = VipsOperation.Image("black", ("width", 256), ("height", 256), ("bands", 3));
        var jpeg = black.SaveToBuffer("jpegsave_buffer");
        var truncated = jpeg[..(jpeg.Length / 2)];

        Assert.Throws<VipsException>(() =>
        {
            using var image = VipsImage.NewFromBuffer(truncated, ("fail_on", "truncated"));
            image.Average();
        });
    }

    [Fact]
    public void Header_fields_are_read_by_name()
    {
        using var black = VipsOperation.Image("black", ("width", 4), ("height", 4));
        using var withOrientation = black.Call("copy", ("xres", 2.0));

        Assert.Null(black.GetInt("orientation"));
        Assert.False(black.HasField("icc-profile-data"));
        Assert.True(withOrientation.HasField("xres"));
    }

    [Fact]
    public void A_blob_field_is_read_as_a_copy_of_its_bytes()
    {
        const string profile = "/usr/share/color/icc/colord/AdobeRGB1998.icc";
        using var black = VipsOperation.Image("black", ("width", 4), ("height", 4), ("bands", 3));
        using var bytes = black.Cast(BandFormat.UChar);
        var jpeg = bytes.SaveToBuffer("jpegsave_buffer", ("profile", profile));
        using var tagged = VipsImage.NewFromBuffer(jpeg);

        Assert.Equal(File.ReadAllBytes(profile), tagged.GetBlob("icc-profile-data"));
        Assert.Null(black.GetBlob("icc-profile-data"));
        Assert.Null(tagged.GetBlob("width"));

        using var untagged = tagged.Without("icc-profile-data");
        Assert.False(untagged.HasField("icc-profile-data"));
        Assert.True(tagged.HasField("icc-profile-data"));
    }
}
