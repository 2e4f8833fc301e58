namespace Tessera.Testing;

/// <summary>
/// The checkout the tests run from, found by walking up from the test binaries to the folder holding
/// <c>Tessera.slnx</c>: tests read sources, samples and web assets from it, wherever <c>bin/</c> happens to be.
/// </summary>
public static class Repository
{
    /// <summary>The solution file that marks the repository's root folder.</summary>
    public const string SolutionFile = "Tessera.slnx";

    private static readonly Lazy<string> LazyRoot = new(FindRoot, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The repository's root folder (where <see cref="SolutionFile"/> is).</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>A path under the root, e.g. <c>PathOf("src", "Tessera.Vips")</c>.</summary>
    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"Expected {SolutionFile} in a parent of {AppContext.BaseDirectory} but found none");
    }
}
