using Tessera.Imaging.Tiff;

namespace Tessera.Imaging.Tests.Tiff;

public sealed class HostileTiffTests
{
    private static readonly (ushort, ushort, long[])[] Minimal =
    [
        (256, 3, [300]),
        (257, 3, [200]),
        (322, 3, [256]),
        (323, 3, [256]),
        (324, 4, [1000, 2000]),
        (325, 4, [10, 20]),
    ];

    [Fact]
    public void An_empty_file_is_not_a_tiff()
    {
        Assert.Throws<TiffFormatException>(() => TiffDirectoryReader.Read(new MemoryStream([])));
    }

    [Fact]
    public void A_png_named_tif_is_not_a_tiff()
    {
        var ex = Assert.Throws<TiffFormatException>(() => TiffDirectoryReader.Read(Path.Combine(TiffFixtures.Directory, "png.tif")));
        Assert.Contains("byte order", ex.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Random_bytes_are_not_a_tiff(int seed)
    {
        var bytes = new byte[4096];
        new Random(seed).NextBytes(bytes);

        Assert.Throws<TiffFormatException>(() => TiffDirectoryReader.Read(new MemoryStream(bytes)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Random_bytes_after_a_valid_header_are_rejected_or_read_without_hanging(bool bigTiff)
    {
        var random = new Random(42);
        for (int i = 0; i < 500; i++)
        {
            var bytes = new byte[random.Next(8, 2048)];
            random.NextBytes(bytes);
            byte[] header = bigTiff ? [0x49, 0x49, 43, 0, 8, 0, 0, 0] : [0x49, 0x49, 42, 0];
            header.CopyTo(bytes, 0);
            bytes[bigTiff ? 8 : 4] = 16; // first IFD close by, so the entries are read at all

            try
            {
                TiffDirectoryReader.Read(new MemoryStream(bytes));
            }
            catch (TiffFormatException)
            {
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(100)]
    [InlineData(2000)]
    public void A_pyramid_truncated_anywhere_near_its_directories_is_rejected(int keepFromEnd)
    {
        byte[] whole = File.ReadAllBytes(TiffFixtures.PathOf("ycbcr"));
        // libvips writes each IFD after its tiles, so the pyramid's last directory is near the end of the file.
        int length = Math.Max(0, whole.Length - 2500 + keepFromEnd);

        Assert.Throws<TiffFormatException>(() => TiffDirectoryReader.Read(new MemoryStream(whole[..length])));
    }

    [Fact]
    public void Any_prefix_of_a_bigtiff_is_rejected_without_hanging()
    {
        byte[] whole = File.ReadAllBytes(TiffFixtures.PathOf("bigtiff"));
        for (int length = 0; length < 64; length++)
        {
            Assert.Throws<TiffFormatException>(() => TiffDirectoryReader.Read(new MemoryStream(whole[..length])));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void A_loop_in_the_directory_chain_is_rejected(int loopTo)
    {
        byte[] tiff = new TiffBuilder(true).Directory(Minimal).Directory(Minimal).LoopTo(loopTo).Build();

        var ex = Assert.Throws<TiffFormatException>(() => TiffDirectoryReader.Read(new MemoryStream(tiff)));
        Assert.Contains("loop", ex.Message);
    }

    [Fact]
    public void More_directories_than_the_cap_are_rejected()
    {
        var builder = new TiffBuilder(false);
        for (int i = 0; i <= TiffDirectoryReader.MaxDirectories; i++)
        {
            builder.Directory(Minimal);
        }

        Assert.Throws<TiffFormatException>(() => TiffDirectoryReader.Read(new MemoryStream(builder.Build())));
    }

    [Theory]
    [InlineData(0x0000_1000u)]
    [InlineData(0x1000_0000u)]
    [InlineData(0xFFFF_FFFFu)]
    public void A_value_count_past_the_end_of_the_file_is_rejected(uint count)
    {
        byte[] tiff = new TiffBuilder(true).Directory(Minimal).Build();
        BitConverter.GetBytes(count).CopyTo(tiff, TiffBuilder.CountFieldOffset(4));

        Assert.Throws<TiffFormatException>(() => TiffDirectoryReader.Read(new MemoryStream(tiff)));
    }

    [Fact]
    public void Fewer_tile_offsets_than_tiles_are_rejected()
    {
        byte[] tiff = new TiffBuilder(true)
            .Directory((256, 3, [3000]), (257, 3, [200]), (322, 3, [256]), (323, 3, [256]), (324, 4, [1000, 2000]), (325, 4, [10, 20]))
            .Build();

        Assert.Throws<TiffFormatException>(() => TiffDirectoryReader.Read(new MemoryStream(tiff)));
    }

    [Theory]
    [InlineData(256, 0)]
    [InlineData(322, 0)]
    [InlineData(322, 70000)]
    public void Absurd_sizes_are_rejected(ushort tag, long value)
    {
        var entries = Minimal.Select(e => e.Item1 == tag ? (tag, (ushort)4, new[] { value }) : e).ToArray();
        byte[] tiff = new TiffBuilder(true).Directory(entries).Build();

        Assert.Throws<TiffFormatException>(() => TiffDirectoryReader.Read(new MemoryStream(tiff)));
    }

    [Fact]
    public void A_tile_offset_past_the_end_of_the_file_is_rejected_when_the_tile_is_read()
    {
        byte[] tiff = new TiffBuilder(true)
            .Directory((256, 3, [300]), (257, 3, [200]), (259, 3, [7]), (262, 3, [6]), (277, 3, [3]), (258, 3, [8, 8, 8]),
                (322, 3, [256]), (323, 3, [256]), (324, 4, [1000, 2000]), (325, 4, [10, 20]))
            .Build();
        string path = Path.Combine(TiffFixtures.Directory, $"offset-past-eof-{Guid.NewGuid():N}.tif");
        File.WriteAllBytes(path, tiff);
        IReadOnlyList<TiffDirectory> directories = TiffDirectoryReader.Read(path);

        using var handle = File.OpenHandle(path);
        Assert.Throws<TiffFormatException>(() => JpegTilePassthrough.ReadTile(handle, directories, 0, 1, 0));
    }
}
