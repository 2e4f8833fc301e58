using Tessera.Imaging.Jpeg;
using Tessera.Imaging.Tests.Tiff;
using Tessera.Imaging.Tiff;

namespace Tessera.Imaging.Tests.Jpeg;

public sealed class JpegTileAssemblerTests
{
    private static (byte[] Tables, byte[] Tile) StoredTile()
    {
        string path = TiffFixtures.PathOf("ycbcr");
        TiffDirectory level = TiffDirectoryReader.Read(path)[0];
        using var stream = File.OpenRead(path);
        var tile = new byte[level.TileByteCounts[0]];
        stream.Position = level.TileOffsets[0];
        stream.ReadExactly(tile);
        return (level.JpegTables.ToArray(), tile);
    }

    [Theory]
    [InlineData(256, 256)]
    [InlineData(155, 231)]
    [InlineData(250, 250)]
    public void A_stored_tile_with_its_tables_assembles(int width, int height)
    {
        (byte[] tables, byte[] tile) = StoredTile();

        Assert.True(JpegTileAssembler.TryAssemble(tables, tile, rgb: false, 3, width, height, out byte[] jpeg, out string reason), reason);
        Assert.Equal([0xFF, 0xD8], jpeg[..2]);
        Assert.Equal([0xFF, 0xD9], jpeg[^2..]);
    }

    [Fact]
    public void A_whole_tile_assembles_into_a_buffer_as_into_an_array_and_nothing_else_does()
    {
        (byte[] tables, byte[] tile) = StoredTile();
        Assert.True(JpegTileAssembler.TryAssemble(tables, tile, rgb: false, 3, 256, 256, out byte[] expected, out _));

        var buffer = new byte[expected.Length + 10];
        Assert.True(JpegTileAssembler.TryAssemble(tables, tile, rgb: false, 3, 256, 256, buffer, out var length, out var reason), reason);
        Assert.Equal(expected, buffer[..length]);

        // Into a buffer only whole frames (a crop would need a new array), and only when it fits.
        Assert.False(JpegTileAssembler.TryAssemble(tables, tile, rgb: false, 3, 155, 231, buffer, out _, out reason));
        Assert.Contains("not the whole", reason);
        Assert.False(JpegTileAssembler.TryAssemble(tables, tile, rgb: false, 3, 256, 256, new byte[expected.Length - 1], out _, out reason));
        Assert.Contains("buffer", reason);
    }

    [Fact]
    public void A_whole_tile_can_be_assembled_with_a_frame_of_only_its_top_rows()
    {
        (byte[] tables, byte[] tile) = StoredTile();
        Assert.True(JpegTileAssembler.TryAssemble(tables, tile, rgb: false, 3, 256, 256, out byte[] whole, out _));
        var buffer = new byte[whole.Length];
        Assert.True(JpegTileAssembler.TryAssemble(tables, tile, rgb: false, 3, 256, 256, 77, buffer, out var length, out var frameRows, out var reason), reason);

        // The same stream, all its entropy-coded data included, but for the frame's height: the rows asked for and,
        // as this YCbCr tile's chroma is halved vertically, one 16-row MCU row more for the upsampling below them.
        Assert.Equal(77 + 16, frameRows);
        Assert.Equal(whole.Length, length);
        var sof = whole.AsSpan().IndexOf([(byte)0xFF, (byte)0xC0]);
        Assert.Equal(frameRows, System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(sof + 5)));
        Assert.Equal(whole[..(sof + 5)], buffer[..(sof + 5)]);
        Assert.Equal(whole[(sof + 7)..], buffer[(sof + 7)..length]);

        // Near the bottom the frame is the whole tile; all of it asked for, it is the whole tile.
        Assert.True(JpegTileAssembler.TryAssemble(tables, tile, rgb: false, 3, 256, 256, 250, buffer, out _, out frameRows, out _));
        Assert.Equal(256, frameRows);
        Assert.True(JpegTileAssembler.TryAssemble(tables, tile, rgb: false, 3, 256, 256, 256, buffer, out length, out frameRows, out _));
        Assert.Equal(256, frameRows);
        Assert.Equal(whole, buffer[..length]);

        // With restart markers (a DRI segment), the frame stays whole: see Jpeg.DecodeTop.
        byte[] restarts = [.. tile[..2], 0xFF, 0xDD, 0x00, 0x04, 0x00, 0x10, .. tile[2..]];
        Assert.True(JpegTileAssembler.TryAssemble(tables, restarts, rgb: false, 3, 256, 256, 77, new byte[whole.Length + 6], out _, out frameRows, out reason), reason);
        Assert.Equal(256, frameRows);

        Assert.Throws<ArgumentOutOfRangeException>(() => JpegTileAssembler.TryAssemble(tables, tile, false, 3, 256, 256, 0, buffer, out _, out _, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => JpegTileAssembler.TryAssemble(tables, tile, false, 3, 256, 256, 257, buffer, out _, out _, out _));
    }

    [Fact]
    public void A_tile_that_is_not_jpeg_is_refused_with_a_reason()
    {
        (byte[] tables, _) = StoredTile();

        Assert.False(JpegTileAssembler.TryAssemble(tables, [0x89, 0x50, 0x4E, 0x47, 0, 0], false, 3, 256, 256, out _, out string reason));
        Assert.Contains("SOI", reason);
    }

    [Fact]
    public void A_crop_larger_than_the_stored_frame_is_refused()
    {
        (byte[] tables, byte[] tile) = StoredTile();

        Assert.False(JpegTileAssembler.TryAssemble(tables, tile, false, 3, 257, 256, out _, out _));
    }

    [Fact]
    public void A_component_count_other_than_the_tiffs_is_refused()
    {
        (byte[] tables, byte[] tile) = StoredTile();

        Assert.False(JpegTileAssembler.TryAssemble(tables, tile, false, 1, 256, 256, out _, out string reason));
        Assert.Contains("components", reason);
    }

    [Fact]
    public void Corrupt_or_truncated_tiles_are_refused_or_assembled_but_never_throw()
    {
        (byte[] tables, byte[] tile) = StoredTile();
        var random = new Random(7);
        for (int i = 0; i < 300; i++)
        {
            byte[] damaged = tile[..random.Next(2, tile.Length)];
            for (int flips = random.Next(0, 8); flips > 0; flips--)
            {
                damaged[random.Next(damaged.Length)] = (byte)random.Next(256);
            }

            JpegTileAssembler.TryAssemble(tables, damaged, false, 3, 155, 100, out _, out _);
        }
    }
}
