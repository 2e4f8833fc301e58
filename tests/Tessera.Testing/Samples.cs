namespace Tessera.Testing;

/// <summary>
/// The sample photographs the fixtures are made from: the repository's <c>samples/</c>, or else a <c>shared/samples</c>
/// folder beside the checkout (<c>../shared/samples</c>) or beside one of its parents (a worktree under
/// <c>/work/wt/</c> finds <c>/work/shared/samples</c>). A folder counts only with its <c>LICENSES.md</c>, so a stray
/// <c>samples</c> folder is never taken for them.
/// </summary>
public static class Samples
{
    /// <summary>The photo most fixtures are made from (a landscape, 3.8 Mpx).</summary>
    public const string Sunset = "sunset_by_Aitzol_Berasategi.jpg";

    /// <summary>A photo with fine detail (a bird), for resampling comparisons.</summary>
    public const string Kleiber = "Kleiber_by_Lukas_Baubkus.jpg";

    /// <summary>A portrait photo (2560×3837).</summary>
    public const string Wine = "Wine_by_Jakkub_Mede.jpg";

    private static readonly Lazy<string> LazyFolder = new(Locate, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The folder the sample photographs are in.</summary>
    public static string Folder => LazyFolder.Value;

    /// <summary>The path of one sample; throws naming the file when it is not there.</summary>
    public static string PathOf(string name)
    {
        var path = Path.Combine(Folder, name);
        return File.Exists(path) ? path : throw new FileNotFoundException($"Expected the sample {name} in {Folder} but it is not there", path);
    }

    /// <summary>The folders searched, in order: the repository's own samples first, then <c>shared/samples</c> upwards.</summary>
    public static IReadOnlyList<string> Candidates(string repositoryRoot)
    {
        var candidates = new List<string> { Path.Combine(repositoryRoot, "samples") };
        for (var dir = new DirectoryInfo(repositoryRoot).Parent; dir is not null; dir = dir.Parent)
        {
            candidates.Add(Path.Combine(dir.FullName, "shared", "samples"));
        }

        return candidates;
    }

    private static string Locate()
    {
        var candidates = Candidates(Repository.Root);
        return candidates.FirstOrDefault(c => File.Exists(Path.Combine(c, "LICENSES.md")))
            ?? throw new DirectoryNotFoundException($"Expected the sample photographs (with LICENSES.md) in {string.Join(" or ", candidates)} but found none");
    }
}
