using Tessera.Vips;

namespace Tessera.Imaging.Tests.Batch;

/// <summary>Small images made by the tests with libvips from the bundled sample photographs, in a temporary folder.</summary>
internal sealed class BatchFixtures : IDisposable
{
    public BatchFixtures()
    {
        Folder = Directory.CreateTempSubdirectory("tessera-batch-").FullName;
        Root = Path.Combine(Folder, "root");
        Directory.CreateDirectory(Root);
    }

    public string Folder { get; }

    public string Root { get; }

    public static string Sample(string name = "sunset_by_Aitzol_Berasategi.jpg")
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var samples = Path.Combine(dir.FullName, "samples");
            if (File.Exists(Path.Combine(samples, "LICENSES.md")))
            {
                return Path.Combine(samples, name);
            }
        }

        throw new DirectoryNotFoundException("The repository's samples folder was not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A photo of <paramref name="width"/> px wide under the root, saved with the saver given.</summary>
    public string Photo(string name, int width, string saver = "jpegsave", params VipsArg[] options)
    {
        using var thumbnail = VipsOperation.Image("thumbnail", ("filename", Sample()), ("width", width));
        var path = Path.Combine(Root, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        thumbnail.SaveToFile(saver, path, options);
        return path;
    }

    /// <summary>A tiled pyramidal JPEG TIFF (what <c>tessera convert</c> writes) under the root.</summary>
    public string Pyramid(string name, int width, int tile = 256) =>
        Photo(name, width, "tiffsave", ("tile", true), ("tile_width", tile), ("tile_height", tile), ("pyramid", true), ("compression", "jpeg"), ("Q", 90));

    public string Out(string name) => Path.Combine(Folder, name);

    /// <summary>Every file under a folder, as relative paths with forward slashes.</summary>
    public static SortedSet<string> Files(string folder) =>
        new(Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
            : [], StringComparer.Ordinal);

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
