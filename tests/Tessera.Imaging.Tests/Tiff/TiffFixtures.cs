using Tessera.Testing;

namespace Tessera.Imaging.Tests.Tiff;

/// <summary>
/// Pyramidal JPEG TIFFs made once per test run with <c>vips tiffsave</c> from a repository sample, shrunk to an odd
/// size so that the right and bottom tiles of each level are partial. libvips 8.14 writes YCbCr JPEG tiles below
/// Q 90 and RGB (Photometric 2) at Q 90 and above, which gives both colour encodings.
/// </summary>
internal static class TiffFixtures
{
    private static readonly Lazy<string> LazyDirectory = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Fixture names: YCbCr, RGB, BigTIFF and SubIFD pyramids.</summary>
    public static readonly string[] PyramidNames = ["ycbcr", "rgb", "bigtiff", "subifd"];

    public static string Directory => LazyDirectory.Value;

    public static string Source => Path.Combine(Directory, "source.v");

    public static string PathOf(string name) => Path.Combine(Directory, name + ".tif");

    /// <summary>The vips file name for one level: main-chain page, or SubIFD of page 0.</summary>
    public static string VipsLevel(string name, int page, int subIfd) =>
        subIfd < 0 ? $"{PathOf(name)}[page={page}]" : $"{PathOf(name)}[subifd={subIfd}]";

    private static string Create()
    {
        string dir = Path.Combine(Path.GetTempPath(), "tessera-tiff-tests-" + Environment.ProcessId);
        System.IO.Directory.CreateDirectory(dir);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => System.IO.Directory.Delete(dir, recursive: true);
        string source = Path.Combine(dir, "source.v");

        // 667x999 (from a 2560x3837 photo): edges of 155 and 231 pixels at level 0, neither a multiple of 16.
        VipsCli.Vips("thumbnail", Samples.PathOf(Samples.Wine), source, "999");

        string[] common = ["--tile", "--tile-width", "256", "--tile-height", "256", "--pyramid", "--compression", "jpeg"];
        VipsCli.Vips(["tiffsave", source, Path.Combine(dir, "ycbcr.tif"), .. common, "--Q", "85"]);
        VipsCli.Vips(["tiffsave", source, Path.Combine(dir, "rgb.tif"), .. common, "--Q", "92"]);
        VipsCli.Vips(["tiffsave", source, Path.Combine(dir, "bigtiff.tif"), .. common, "--Q", "85", "--bigtiff"]);
        VipsCli.Vips(["tiffsave", source, Path.Combine(dir, "subifd.tif"), .. common, "--Q", "85", "--subifd"]);
        VipsCli.Vips(["tiffsave", source, Path.Combine(dir, "deflate.tif"), "--tile", "--compression", "deflate"]);
        VipsCli.Vips(["tiffsave", source, Path.Combine(dir, "stripped.tif"), "--compression", "jpeg"]);
        VipsCli.Vips(["colourspace", source, Path.Combine(dir, "grey.v"), "b-w"]);
        VipsCli.Vips(["tiffsave", Path.Combine(dir, "grey.v"), Path.Combine(dir, "grey.tif"), .. common, "--Q", "85"]);
        VipsCli.Vips(["pngsave", source, Path.Combine(dir, "png.tif")]);
        return dir;
    }
}
