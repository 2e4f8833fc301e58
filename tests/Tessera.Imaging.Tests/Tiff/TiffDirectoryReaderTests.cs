using Tessera.Imaging.Tiff;

namespace Tessera.Imaging.Tests.Tiff;

public sealed class TiffDirectoryReaderTests
{
    public static TheoryData<string> Pyramids => new(TiffFixtures.PyramidNames);

    [Theory]
    [MemberData(nameof(Pyramids))]
    public void Every_level_has_the_size_vips_reports(string name)
    {
        IReadOnlyList<TiffDirectory> directories = TiffDirectoryReader.Read(TiffFixtures.PathOf(name));

        Assert.Equal(VipsCli.HeaderInt(TiffFixtures.PathOf(name), "n-pages"), directories.Count(d => !d.IsSubIfd));
        Assert.True(directories.Count >= 3, "a 667x999 pyramid of 256px tiles has at least three levels");
        foreach (TiffDirectory d in directories)
        {
            string level = TiffFixtures.VipsLevel(name, d.Page, d.SubIfd);
            Assert.Equal(VipsCli.HeaderInt(level, "width"), d.ImageWidth);
            Assert.Equal(VipsCli.HeaderInt(level, "height"), d.ImageLength);
        }
    }

    [Theory]
    [MemberData(nameof(Pyramids))]
    public void Every_level_is_a_tiled_jpeg_with_shared_tables(string name)
    {
        IReadOnlyList<TiffDirectory> directories = TiffDirectoryReader.Read(TiffFixtures.PathOf(name));

        Assert.Equal(667, directories[0].ImageWidth);
        Assert.Equal(999, directories[0].ImageLength);
        foreach (TiffDirectory d in directories)
        {
            Assert.Equal((256, 256), (d.TileWidth, d.TileLength));
            Assert.Equal(TiffDirectory.CompressionJpeg, d.Compression);
            Assert.Equal(3, d.SamplesPerPixel);
            Assert.Equal([8, 8, 8], d.BitsPerSample);
            Assert.Equal(1, d.PlanarConfig);
            Assert.Equal(name == "rgb" ? TiffDirectory.PhotometricRgb : TiffDirectory.PhotometricYCbCr, d.Photometric);
            Assert.Equal(d.TilesAcross * d.TilesDown, d.TileOffsets.Length);
            Assert.Equal(d.TileOffsets.Length, d.TileByteCounts.Length);
            Assert.All(d.TileByteCounts, c => Assert.InRange(c, 1, 1_000_000));
            Assert.True(d.JpegTables.Length > 4);
            Assert.Equal([0xFF, 0xD8], d.JpegTables.Span[..2].ToArray());
        }
    }

    [Fact]
    public void Reduced_levels_are_marked_as_such_and_subifds_belong_to_page_zero()
    {
        IReadOnlyList<TiffDirectory> main = TiffDirectoryReader.Read(TiffFixtures.PathOf("ycbcr"));
        IReadOnlyList<TiffDirectory> sub = TiffDirectoryReader.Read(TiffFixtures.PathOf("subifd"));

        Assert.False(main[0].IsReducedResolution);
        Assert.All(main.Skip(1), d => Assert.True(d.IsReducedResolution));
        Assert.Equal(Enumerable.Range(0, main.Count), main.Select(d => d.Page));

        Assert.Single(sub, d => !d.IsSubIfd);
        Assert.Equal(main.Count - 1, sub.Count(d => d.IsSubIfd));
        Assert.All(sub.Where(d => d.IsSubIfd), d => Assert.Equal(0, d.Page));
        Assert.Equal(main.Select(d => (d.ImageWidth, d.ImageLength)), sub.Select(d => (d.ImageWidth, d.ImageLength)));
    }

    [Fact]
    public void A_stream_and_a_path_give_the_same_directories()
    {
        using FileStream stream = File.OpenRead(TiffFixtures.PathOf("bigtiff"));

        IReadOnlyList<TiffDirectory> fromStream = TiffDirectoryReader.Read(stream);
        IReadOnlyList<TiffDirectory> fromPath = TiffDirectoryReader.Read(TiffFixtures.PathOf("bigtiff"));

        Assert.Equal(fromPath.Select(d => (d.ImageWidth, d.ImageLength, d.TileOffsets.Sum())), fromStream.Select(d => (d.ImageWidth, d.ImageLength, d.TileOffsets.Sum())));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Both_byte_orders_are_read(bool littleEndian)
    {
        byte[] tiff = new TiffBuilder(littleEndian)
            .Directory(
                (256, 3, [300]),
                (257, 4, [200]),
                (259, 3, [7]),
                (262, 3, [6]),
                (274, 3, [6]),
                (277, 3, [3]),
                (258, 3, [8, 8, 8]),
                (322, 3, [256]),
                (323, 3, [256]),
                (324, 4, [1000, 2000]),
                (325, 4, [10, 20]))
            .Build();

        TiffDirectory d = Assert.Single(TiffDirectoryReader.Read(new MemoryStream(tiff)));

        Assert.Equal((300, 200, 256, 256), (d.ImageWidth, d.ImageLength, d.TileWidth, d.TileLength));
        Assert.Equal([8, 8, 8], d.BitsPerSample);
        Assert.Equal(6, d.Orientation);
        Assert.Equal([1000L, 2000L], d.TileOffsets);
        Assert.Equal([10L, 20L], d.TileByteCounts);
    }

    [Fact]
    public void Absent_optional_tags_take_the_tiff_defaults()
    {
        byte[] tiff = new TiffBuilder(true).Directory((256, 3, [10]), (257, 3, [10])).Build();

        TiffDirectory d = Assert.Single(TiffDirectoryReader.Read(new MemoryStream(tiff)));

        Assert.Equal((0, 0, 1, 1, 1, -1), (d.TileWidth, d.TileLength, d.Compression, d.SamplesPerPixel, d.PlanarConfig, d.Photometric));
        Assert.Null(d.Orientation);
        Assert.True(d.JpegTables.IsEmpty);
    }
}
