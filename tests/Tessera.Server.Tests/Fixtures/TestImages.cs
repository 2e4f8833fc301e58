using Tessera.Testing;
using Tessera.Vips;

namespace Tessera.Server.Tests.Fixtures;

/// <summary>
/// The images the server tests serve, made by the tests themselves with libvips: a photo (from the bundled samples),
/// a tiled pyramidal TIFF, a colour grid with known pixels, alpha, 16-bit, CMYK, grey, EXIF-rotated, and hostile files.
/// </summary>
public static class TestImages
{
    /// <summary>The grid: 10×10 squares of 100 px, each a distinct colour given by <see cref="GridColour"/>.</summary>
    public const string Grid = "grid.png";
    public const string Photo = "photo.jpg";
    /// <summary>A 1200×800 pyramid of 256 px JPEG tiles at Q90 (libvips stores RGB photometric at Q ≥ 90).</summary>
    public const string Pyramid = "pyramid.tif";

    /// <summary>A copy of <see cref="Pyramid"/> that only the edge-tile cache test asks for.</summary>
    public const string PyramidForEdgeCache = "edge-cache.tif";

    /// <summary>The same at Q85 (YCbCr photometric).</summary>
    public const string PyramidYCbCr = "pyramid-ycbcr.tif";

    /// <summary><see cref="PyramidYCbCr"/> tagged with colord's sRGB profile: served like an untagged one.</summary>
    public const string PyramidSrgb = "pyramid-srgb.tif";

    /// <summary><see cref="PyramidYCbCr"/> tagged with colord's Adobe RGB (1998) profile: transformed by libvips.</summary>
    public const string PyramidAdobe = "pyramid-adobe.tif";
    public const string Alpha = "alpha.png";
    public const string Deep = "deep16.tif";
    public const string Cmyk = "cmyk.jpg";
    public const string Grey = "grey.jpg";
    public const string Rotated = "rotated.jpg";
    public const string Truncated = "truncated.jpg";
    public const string Fake = "fake.jpg";
    public const string Empty = "empty.png";
    public const string Nested = "sub/dir/nested.jpg";
    public const string EscapingLink = "escape.jpg";

    /// <summary>The photo in every other source format Tessera reads, each 1200×800.</summary>
    public static readonly string[] OtherFormats = ["photo.jp2", "photo.webp", "photo.gif", "photo.avif", "photo.heic", "photo.png", "strips.tif"];

    /// <summary>The colour of grid square (col, row): distinct, far from each other, never grey.</summary>
    public static (byte R, byte G, byte B) GridColour(int col, int row) => ((byte)(col * 25 + 10), (byte)(row * 25 + 10), (byte)(((col + row) % 2) * 200 + 20));

    public static void Create(string root, string outside)
    {
        using (var grid = MakeGrid())
        {
            grid.SaveToFile("pngsave", Path.Combine(root, Grid));
        }

        using (var thumbnail = VipsOperation.Image("thumbnail", ("filename", Samples.PathOf(Samples.Sunset)), ("width", 1200)))
        using (var photo = thumbnail.CopyMemory())
        {
            photo.SaveToFile("jpegsave", Path.Combine(root, Photo), ("Q", 90));
            photo.SaveToFile("tiffsave", Path.Combine(root, Pyramid), ("tile", true), ("tile_width", 256), ("tile_height", 256), ("pyramid", true), ("compression", "jpeg"), ("Q", 90));
            File.Copy(Path.Combine(root, Pyramid), Path.Combine(root, PyramidForEdgeCache));
            photo.SaveToFile("tiffsave", Path.Combine(root, PyramidYCbCr), ("tile", true), ("tile_width", 256), ("tile_height", 256), ("pyramid", true), ("compression", "jpeg"), ("Q", 85));
            foreach (var (name, profile) in new[] { (PyramidSrgb, "sRGB.icc"), (PyramidAdobe, "AdobeRGB1998.icc") })
            {
                photo.SaveToFile("tiffsave", Path.Combine(root, name), ("tile", true), ("tile_width", 256), ("tile_height", 256), ("pyramid", true), ("compression", "jpeg"), ("Q", 85),
                    ("profile", "/usr/share/color/icc/colord/" + profile));
            }

            using var grey = photo.Colourspace("b-w");
            grey.SaveToFile("jpegsave", Path.Combine(root, Grey));
            using var cmyk = photo.Call("icc_export", ("output_profile", "cmyk"));
            cmyk.SaveToFile("jpegsave", Path.Combine(root, Cmyk));
            using var rotated = photo.WithInt("orientation", 6);
            rotated.SaveToFile("jpegsave", Path.Combine(root, Rotated));
            photo.SaveToFile("jp2ksave", Path.Combine(root, "photo.jp2"), ("Q", 60));
            photo.SaveToFile("webpsave", Path.Combine(root, "photo.webp"), ("Q", 90));
            photo.SaveToFile("gifsave", Path.Combine(root, "photo.gif"));
            photo.SaveToFile("heifsave", Path.Combine(root, "photo.avif"), ("compression", "av1"), ("Q", 80), ("effort", 2));
            photo.SaveToFile("heifsave", Path.Combine(root, "photo.heic"), ("compression", "hevc"), ("Q", 80));
            photo.SaveToFile("pngsave", Path.Combine(root, "photo.png"));
            photo.SaveToFile("tiffsave", Path.Combine(root, "strips.tif"));
            Directory.CreateDirectory(Path.Combine(root, "sub", "dir"));
            photo.SaveToFile("jpegsave", Path.Combine(root, Nested));
            photo.SaveToFile("jpegsave", Path.Combine(outside, "secret.jpg"));
            var jpeg = File.ReadAllBytes(Path.Combine(root, Photo));
            File.WriteAllBytes(Path.Combine(root, Truncated), jpeg[..(jpeg.Length / 3)]);
        }

        using (var small = VipsOperation.Image("black", ("width", 200), ("height", 100), ("bands", 3)))
        using (var red = small.Call("linear", ("a", new double[] { 1, 1, 1 }), ("b", new double[] { 255, 0, 0 })))
        using (var red8 = red.Cast(BandFormat.UChar))
        using (var alpha = red8.Call("bandjoin_const", ("c", new double[] { 128 })))
        using (var alpha8 = alpha.Cast(BandFormat.UChar))
        {
            alpha8.SaveToFile("pngsave", Path.Combine(root, Alpha));
        }

        using (var ramp = VipsOperation.Image("xyz", ("width", 300), ("height", 200)))
        using (var x = ramp.ExtractBand(0))
        using (var scaled = x.Call("linear", ("a", new double[] { 200 }), ("b", new double[] { 0 })))
        using (var three = VipsOperation.Image("bandjoin", ("in", new[] { scaled, scaled, scaled })))
        using (var deep = three.Cast(BandFormat.UShort))
        using (var rgb16 = deep.Call("copy", ("interpretation", "rgb16")))
        {
            rgb16.SaveToFile("tiffsave", Path.Combine(root, Deep));
        }

        File.WriteAllText(Path.Combine(root, Fake), "this is not a JPEG, just text with a .jpg name\n");
        File.WriteAllBytes(Path.Combine(root, Empty), []);
        File.CreateSymbolicLink(Path.Combine(root, EscapingLink), Path.Combine(outside, "secret.jpg"));
        Validator.ValidatorImages.Create(root);
        var damaged = new DamagedFiles(Path.Combine(root, DamagedFolder));
        damaged.All();
        damaged.WriteCorruptTile();
    }

    /// <summary>The folder of <see cref="DamagedFiles"/> under the root (identifiers <c>damaged/{name}</c>).</summary>
    public const string DamagedFolder = "damaged";

    private static VipsImage MakeGrid()
    {
        var pixels = new byte[1000 * 1000 * 3];
        for (var y = 0; y < 1000; y++)
        {
            for (var x = 0; x < 1000; x++)
            {
                var (r, g, b) = GridColour(x / 100, y / 100);
                var i = ((y * 1000) + x) * 3;
                pixels[i] = r;
                pixels[i + 1] = g;
                pixels[i + 2] = b;
            }
        }

        return VipsImage.FromPixels(pixels, 1000, 1000, 3);
    }
}
