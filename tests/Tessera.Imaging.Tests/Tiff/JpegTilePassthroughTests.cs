using Tessera.Imaging.Tiff;

namespace Tessera.Imaging.Tests.Tiff;

public sealed class JpegTilePassthroughTests
{
    /// <summary>Every tile of every level of every pyramid: interior, right, bottom and corner tiles.</summary>
    public static TheoryData<string, int, int, int, int> EveryTile()
    {
        var data = new TheoryData<string, int, int, int, int>();
        foreach (string name in TiffFixtures.PyramidNames)
        {
            foreach (TiffDirectory d in TiffDirectoryReader.Read(TiffFixtures.PathOf(name)))
            {
                for (int row = 0; row < d.TilesDown; row++)
                {
                    for (int col = 0; col < d.TilesAcross; col++)
                    {
                        data.Add(name, d.Page, d.SubIfd, col, row);
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryTile))]
    public void A_passed_through_tile_decodes_to_the_same_pixels_as_the_tiff_region(string name, int page, int subIfd, int col, int row)
    {
        string path = TiffFixtures.PathOf(name);
        IReadOnlyList<TiffDirectory> directories = TiffDirectoryReader.Read(path);
        TiffDirectory level = directories.Single(d => d.Page == page && d.SubIfd == subIfd);
        Assert.True(JpegTilePassthrough.TryGetTileGeometry(level, col, row, out TiffTileGeometry g));

        using var handle = File.OpenHandle(path);
        JpegTileResult result = JpegTilePassthrough.ReadTile(handle, directories, page, col, row, subIfd);

        Assert.True(result.IsEligible, result.NotEligibleReason);
        string stem = Path.Combine(TiffFixtures.Directory, $"{name}-{page}-{subIfd}-{col}-{row}");
        File.WriteAllBytes(stem + ".jpg", result.Jpeg);
        VipsCli.Vips("copy", stem + ".jpg[fail]", stem + ".v");
        Assert.Equal(g.Width, VipsCli.HeaderInt(stem + ".v", "width"));
        Assert.Equal(g.Height, VipsCli.HeaderInt(stem + ".v", "height"));
        Assert.Equal(3, VipsCli.HeaderInt(stem + ".v", "bands"));

        VipsCli.Vips("extract_area", TiffFixtures.VipsLevel(name, page, subIfd), stem + "-ref.v", $"{g.X}", $"{g.Y}", $"{g.Width}", $"{g.Height}");
        double difference = VipsCli.MeanAbsoluteDifference(stem + ".v", stem + "-ref.v", TiffFixtures.Directory);

        // The same coefficients decoded by the same libjpeg: bit-exact, except that at an even-width cut the last
        // column's chroma is upsampled from a replicated edge instead of the neighbour the stored tile has.
        Assert.InRange(difference, 0, g.IsCropped ? 0.25 : 0.0);
    }

    [Theory]
    [InlineData("ycbcr", "JFIF")]
    [InlineData("rgb", "Adobe")]
    public void The_colour_marker_follows_the_photometric_interpretation(string name, string marker)
    {
        string path = TiffFixtures.PathOf(name);
        IReadOnlyList<TiffDirectory> directories = TiffDirectoryReader.Read(path);
        using var handle = File.OpenHandle(path);

        byte[] jpeg = JpegTilePassthrough.ReadTile(handle, directories, 0, 0, 0).Jpeg!;

        Assert.Equal([0xFF, 0xD8, 0xFF], jpeg[..3]);
        Assert.Equal(marker, System.Text.Encoding.ASCII.GetString(jpeg, 6, marker.Length));
        Assert.Equal([0xFF, 0xD9], jpeg[^2..]);
    }

    [Fact]
    public void Grey_jpeg_tiles_pass_through_as_one_band()
    {
        string path = Path.Combine(TiffFixtures.Directory, "grey.tif");
        IReadOnlyList<TiffDirectory> directories = TiffDirectoryReader.Read(path);
        using var handle = File.OpenHandle(path);

        JpegTileResult result = JpegTilePassthrough.ReadTile(handle, directories, 0, 2, 3);

        Assert.True(result.IsEligible, result.NotEligibleReason);
        string file = Path.Combine(TiffFixtures.Directory, "grey-2-3.jpg");
        File.WriteAllBytes(file, result.Jpeg);
        VipsCli.Vips("copy", file + "[fail]", file + ".v");
        Assert.Equal((155, 231, 1), (VipsCli.HeaderInt(file + ".v", "width"), VipsCli.HeaderInt(file + ".v", "height"), VipsCli.HeaderInt(file + ".v", "bands")));
    }

    [Theory]
    [InlineData("deflate.tif", "Compression")]
    [InlineData("stripped.tif", "strips")]
    public void Tiles_that_are_not_tiled_jpeg_are_not_eligible(string file, string reason)
    {
        string path = Path.Combine(TiffFixtures.Directory, file);
        IReadOnlyList<TiffDirectory> directories = TiffDirectoryReader.Read(path);
        using var handle = File.OpenHandle(path);

        JpegTileResult result = JpegTilePassthrough.ReadTile(handle, directories, 0, 0, 0);

        Assert.False(result.IsEligible);
        Assert.Contains(reason, result.NotEligibleReason);
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(3, 0)]
    [InlineData(0, 4)]
    public void A_tile_outside_the_level_is_not_eligible(int col, int row)
    {
        string path = TiffFixtures.PathOf("ycbcr");
        IReadOnlyList<TiffDirectory> directories = TiffDirectoryReader.Read(path);
        using var handle = File.OpenHandle(path);

        Assert.False(JpegTilePassthrough.ReadTile(handle, directories, 0, col, row).IsEligible);
        Assert.False(JpegTilePassthrough.ReadTile(handle, directories, 99, 0, 0).IsEligible);
    }

    [Theory]
    [InlineData(0, 0, 0, 0, 256, 256)]
    [InlineData(2, 0, 512, 0, 155, 256)]
    [InlineData(0, 3, 0, 768, 256, 231)]
    [InlineData(2, 3, 512, 768, 155, 231)]
    public void Edge_tiles_are_cropped_to_the_image(int col, int row, int x, int y, int width, int height)
    {
        TiffDirectory level = TiffDirectoryReader.Read(TiffFixtures.PathOf("ycbcr"))[0];

        Assert.True(JpegTilePassthrough.TryGetTileGeometry(level, col, row, out TiffTileGeometry g));

        Assert.Equal((x, y, width, height), (g.X, g.Y, g.Width, g.Height));
        Assert.Equal((256, 256), (g.StoredWidth, g.StoredHeight));
        Assert.Equal(width != 256 || height != 256, g.IsCropped);
        Assert.Equal((row * 3) + col, g.Index);
    }
}
