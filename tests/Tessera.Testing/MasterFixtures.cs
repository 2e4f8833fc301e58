using Tessera.Vips;

namespace Tessera.Testing;

/// <summary>
/// A temporary folder with a <see cref="Root"/> of masters the test makes with libvips from a sample photograph, and
/// room beside it for outputs (<see cref="Out"/>). Deleted on dispose.
/// </summary>
public sealed class MasterFixtures : IDisposable
{
    /// <param name="prefix">Start of the temporary folder's name, so a leftover folder says which tests made it.</param>
    public MasterFixtures(string prefix = "tessera-masters-")
    {
        Folder = Directory.CreateTempSubdirectory(prefix).FullName;
        Root = Path.Combine(Folder, "root");
        Directory.CreateDirectory(Root);
    }

    /// <summary>The temporary folder holding everything.</summary>
    public string Folder { get; }

    /// <summary>The folder of masters (<c>--root</c>).</summary>
    public string Root { get; }

    /// <summary>A path for an output beside the root (not created).</summary>
    public string Out(string name) => Path.Combine(Folder, name);

    /// <summary>The sunset photo <paramref name="width"/> px wide under the root, saved with the saver given.</summary>
    public string Photo(string name, int width, string saver = "jpegsave", params VipsArg[] options)
    {
        using var thumbnail = VipsOperation.Image("thumbnail", ("filename", Samples.PathOf(Samples.Sunset)), ("width", width));
        var path = Path.Combine(Root, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        thumbnail.SaveToFile(saver, path, options);
        return path;
    }

    /// <summary>A tiled pyramidal JPEG TIFF at Q90 (what <c>tessera convert</c> writes) under the root.</summary>
    public string Pyramid(string name, int width, int tile = 256) =>
        Photo(name, width, "tiffsave", ("tile", true), ("tile_width", tile), ("tile_height", tile), ("pyramid", true), ("compression", "jpeg"), ("Q", 90));

    /// <summary>Every file under a folder, as relative paths with forward slashes; empty when the folder does not exist.</summary>
    public static SortedSet<string> Files(string folder) =>
        new(Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
            : [], StringComparer.Ordinal);

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
