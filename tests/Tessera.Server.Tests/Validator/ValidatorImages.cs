using Tessera.Vips;

namespace Tessera.Server.Tests.Validator;

/// <summary>
/// The IIIF validator's test image (IIIF/image-validator, identifier <c>67352ccc-d1b0-11e1-89ae-279075081939</c>): 1000×1000,
/// a grid of 100 px squares whose colours are the validator's own table (<c>ValidationInfo.colorInfo</c>, indexed
/// [column][row]), each with a small darker mark in its top-left corner so that mirroring and rotation are visible inside a
/// square too. Also odd-sized images for the reference-implementation size checks.
/// </summary>
public static class ValidatorImages
{
    /// <summary>Tessera identifiers carry the extension; the validator takes the identifier as a parameter.</summary>
    public const string Identifier = "67352ccc-d1b0-11e1-89ae-279075081939.png";

    /// <summary>Odd sizes, prime and lopsided, where rounding choices show.</summary>
    public static readonly (int Width, int Height)[] OddSizes = [(1001, 667), (37, 1531), (999, 1000), (641, 641), (3, 7)];

    /// <summary>The validator's colour table, <c>colorInfo[x][y]</c> for the square in column x and row y.</summary>
    public static readonly (byte R, byte G, byte B)[][] Colours =
    [
        [(61, 170, 126), (61, 107, 178), (82, 85, 234), (164, 122, 110), (129, 226, 88), (91, 37, 121), (138, 128, 42), (6, 85, 234), (121, 109, 204), (65, 246, 84)],
        [(195, 133, 120), (171, 43, 102), (118, 45, 130), (242, 105, 171), (5, 85, 105), (113, 58, 41), (223, 69, 3), (45, 79, 140), (35, 117, 248), (121, 156, 184)],
        [(168, 92, 163), (28, 91, 143), (86, 41, 173), (111, 230, 29), (174, 189, 7), (18, 139, 88), (93, 168, 128), (35, 2, 14), (204, 105, 137), (18, 86, 128)],
        [(107, 55, 178), (251, 40, 184), (47, 36, 139), (2, 127, 170), (224, 12, 114), (133, 67, 108), (239, 174, 209), (85, 29, 156), (8, 55, 188), (240, 125, 7)],
        [(112, 167, 30), (166, 63, 161), (232, 227, 23), (74, 80, 135), (79, 97, 47), (145, 160, 80), (45, 160, 79), (12, 54, 215), (203, 83, 70), (78, 28, 46)],
        [(102, 193, 63), (225, 55, 91), (107, 194, 147), (167, 24, 95), (249, 214, 96), (167, 34, 136), (53, 254, 209), (172, 222, 21), (153, 77, 51), (137, 39, 183)],
        [(159, 182, 192), (128, 252, 173), (148, 162, 90), (192, 165, 115), (154, 102, 2), (107, 237, 62), (111, 236, 219), (129, 113, 172), (239, 204, 166), (60, 96, 37)],
        [(72, 172, 227), (119, 51, 100), (209, 85, 165), (87, 172, 159), (188, 42, 162), (99, 3, 54), (7, 42, 37), (105, 155, 100), (38, 220, 240), (98, 46, 2)],
        [(18, 223, 145), (189, 121, 17), (88, 3, 210), (181, 16, 43), (189, 39, 244), (123, 147, 116), (246, 148, 214), (223, 177, 199), (77, 18, 136), (235, 36, 21)],
        [(146, 137, 176), (84, 248, 55), (61, 144, 79), (110, 251, 49), (43, 105, 132), (165, 131, 55), (60, 23, 225), (147, 197, 226), (80, 67, 104), (161, 119, 182)],
    ];

    public static string OddName((int Width, int Height) size) => $"odd-{size.Width}x{size.Height}.png";

    public static string ExpectedPath(string root) => Path.Combine(root, Identifier);

    public static void Create(string root)
    {
        using (var grid = VipsImage.FromPixels(Pixels(1000, 1000), 1000, 1000, 3))
        {
            grid.SaveToFile("pngsave", Path.Combine(root, Identifier));
        }

        foreach (var size in OddSizes)
        {
            using var odd = VipsImage.FromPixels(Pixels(size.Width, size.Height), size.Width, size.Height, 3);
            odd.SaveToFile("pngsave", Path.Combine(root, OddName(size)));
        }
    }

    private static byte[] Pixels(int width, int height)
    {
        var pixels = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var (r, g, b) = Colours[(x / 100) % 10][(y / 100) % 10];

                // The mark: a 3×3 corner of each square, a little darker (well inside the 13 px border the validator skips).
                var mark = x % 100 < 3 && y % 100 < 3 ? 40 : 0;
                var i = ((y * width) + x) * 3;
                pixels[i] = (byte)Math.Max(0, r - mark);
                pixels[i + 1] = (byte)Math.Max(0, g - mark);
                pixels[i + 2] = (byte)Math.Max(0, b - mark);
            }
        }

        return pixels;
    }
}
