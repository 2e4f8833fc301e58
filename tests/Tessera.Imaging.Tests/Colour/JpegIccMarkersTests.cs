using System.Buffers.Binary;
using Tessera.Imaging.Colour;
using Tessera.Vips;

namespace Tessera.Imaging.Tests.Colour;

/// <summary>ICC profiles carried into stored JPEG tiles as APP2 segments, read back by libvips byte for byte.</summary>
public sealed class JpegIccMarkersTests
{
    private const string AdobeRgb = "/usr/share/color/icc/colord/AdobeRGB1998.icc";
    private const string ProPhoto = "/usr/share/color/icc/colord/ProPhotoRGB.icc";

    // 187 484 bytes: three segments.
    private const string LargeCmyk = "/usr/share/color/icc/ghostscript/default_cmyk.icc";

    [Theory]
    [InlineData(AdobeRgb, 1)]
    [InlineData(LargeCmyk, 3)]
    public void Libvips_reads_back_exactly_the_profile_and_the_same_pixels(string path, int chunks)
    {
        var profile = ColourTransformCacheTests.Profile(path);
        var jpeg = Tile();
        var tagged = JpegIccMarkers.Embed(jpeg, profile);

        using var before = VipsImage.NewFromBuffer(jpeg);
        using var after = VipsImage.NewFromBuffer(tagged);
        Assert.Null(before.GetBlob("icc-profile-data"));
        Assert.Equal(profile, after.GetBlob("icc-profile-data"));
        Assert.Equal(before.ToPixels(), after.ToPixels());

        // JFIF's APP0 stays first, the profile's segments follow it, and nothing else changed.
        var markers = Markers(tagged);
        Assert.Equal(0xE0, markers[0]);
        Assert.Equal(Enumerable.Repeat((byte)0xE2, chunks), markers.Skip(1).Take(chunks));
        Assert.Equal(Markers(jpeg).Skip(1), markers.Skip(1 + chunks));
        Assert.Equal(jpeg.Length + profile.Length + (chunks * 18), tagged.Length);
    }

    [Theory]
    [InlineData(JpegIccMarkers.MaxChunkBytes, 1)]
    [InlineData(JpegIccMarkers.MaxChunkBytes + 1, 2)]
    [InlineData((2 * JpegIccMarkers.MaxChunkBytes) + 5, 3)]
    public void Profiles_are_split_at_65519_bytes_a_segment(int size, int chunks)
    {
        // Not a valid profile (libvips' loader does not check), so any byte value at any offset must come back.
        var profile = new byte[size];
        new Random(size).NextBytes(profile);
        var tagged = JpegIccMarkers.Embed(Tile(), profile);

        Assert.Equal(chunks, Markers(tagged).Count(m => m == 0xE2));
        using var image = VipsImage.NewFromBuffer(tagged);
        Assert.Equal(profile, image.GetBlob("icc-profile-data"));
    }

    [Fact]
    public void A_profile_already_there_is_replaced()
    {
        using var photo = Photo();
        var withProPhoto = photo.SaveToBuffer("jpegsave_buffer", ("Q", 85), ("profile", ProPhoto));
        var adobe = ColourTransformCacheTests.Profile(AdobeRgb);
        var tagged = JpegIccMarkers.Embed(withProPhoto, adobe);

        using var image = VipsImage.NewFromBuffer(tagged);
        Assert.Equal(adobe, image.GetBlob("icc-profile-data"));
        Assert.Single(Markers(tagged), m => m == 0xE2);
    }

    [Fact]
    public void A_stream_without_jfif_gets_the_profile_right_after_its_start_or_after_its_exif()
    {
        var profile = ColourTransformCacheTests.Profile(AdobeRgb);
        using var photo = Photo();

        // libvips writes no JFIF segment: stripped, the stream starts with its tables; not stripped, with Exif.
        var bare = photo.SaveToBuffer("jpegsave_buffer", ("Q", 85), ("strip", true));
        Assert.Equal(0xDB, bare[3]);
        var tagged = JpegIccMarkers.Embed(bare, profile);
        Assert.Equal(0xE2, tagged[3]);
        using (var before = VipsImage.NewFromBuffer(bare))
        using (var after = VipsImage.NewFromBuffer(tagged))
        {
            Assert.Equal(before.ToPixels(), after.ToPixels());
            Assert.Equal(profile, after.GetBlob("icc-profile-data"));
        }

        var withExif = photo.SaveToBuffer("jpegsave_buffer", ("Q", 85));
        Assert.Equal(0xE1, withExif[3]);
        tagged = JpegIccMarkers.Embed(withExif, profile);
        Assert.Equal([(byte)0xE1, (byte)0xE2], Markers(tagged).Take(2));
        using (var after = VipsImage.NewFromBuffer(tagged))
        {
            Assert.Equal(profile, after.GetBlob("icc-profile-data"));
            Assert.NotNull(after.GetBlob("exif-data"));
        }
    }

    [Fact]
    public void Streams_that_are_not_jpeg_or_are_cut_short_and_empty_profiles_are_refused()
    {
        var jpeg = Tile();
        byte[] profile = [1, 2, 3];

        var ex = Assert.Throws<ArgumentException>(() => JpegIccMarkers.Embed("GIF89a"u8, profile));
        Assert.Equal("jpeg", ex.ParamName);
        Assert.StartsWith("Expected a JPEG (starting FF D8) for jpeg but received 47494638 (6 bytes)", ex.Message, StringComparison.Ordinal);

        // Cut inside the header segments (the JFIF segment is 18 bytes).
        ex = Assert.Throws<ArgumentException>(() => JpegIccMarkers.Embed(jpeg.AsSpan(0, 12), profile));
        Assert.Equal("jpeg", ex.ParamName);
        Assert.Throws<ArgumentException>(() => JpegIccMarkers.Embed(jpeg.AsSpan(0, 20), profile));

        ex = Assert.Throws<ArgumentException>(() => JpegIccMarkers.Embed(jpeg, []));
        Assert.Equal("profile", ex.ParamName);
        Assert.Throws<ArgumentException>(() => JpegIccMarkers.Embed(jpeg, new byte[(JpegIccMarkers.MaxChunks * JpegIccMarkers.MaxChunkBytes) + 1]));
    }

    /// <summary>The markers of the header segments, in order (SOI not counted, up to SOS).</summary>
    private static List<byte> Markers(byte[] jpeg)
    {
        var markers = new List<byte>();
        for (var at = 2; jpeg[at + 1] != 0xDA; at += 2 + BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(at + 2)))
        {
            markers.Add(jpeg[at + 1]);
        }

        return markers;
    }

    /// <summary>A tile as Tessera encodes them (TurboJPEG, which writes a JFIF segment first).</summary>
    private static byte[] Tile()
    {
        using var photo = Photo();
        var pixels = photo.ToPixels();
        var output = new byte[Vips.Jpeg.MaxEncodedBytes(photo.Width, photo.Height, 3)];
        var length = Vips.Jpeg.Encode(pixels, photo.Width, photo.Height, photo.Width * 3, 3, 85, output);
        return output[..length];
    }

    private static VipsImage Photo()
    {
        using var file = VipsImage.NewFromFile(Sample("Dragonfly_by_Bolly.jpg"), ("shrink", 8));
        return file.ExtractArea(64, 64, 256, 256);
    }

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
