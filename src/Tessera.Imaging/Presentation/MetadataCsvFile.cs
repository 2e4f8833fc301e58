using Tessera.Core.Presentation;

namespace Tessera.Imaging.Presentation;

/// <summary>
/// A CSV file of descriptive metadata (<see cref="MetadataCsv"/>) read from disk: the one reading of the file that
/// <c>tessera manifest --csv</c> and the server's <c>ManifestCsv</c> share, so the two write the same labels and metadata.
/// </summary>
public static class MetadataCsvFile
{
    /// <summary>The metadata per object id, or the problems, each prefixed with the file's name (<c>objects.csv: Row 3: ...</c>).</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="parameter">The setting or flag that named it, for the message when it cannot be read.</param>
    public static (IReadOnlyDictionary<string, DescriptiveMetadata> Rows, IReadOnlyList<string> Errors) Read(string path, string parameter)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return (new Dictionary<string, DescriptiveMetadata>(), [$"Expected a readable CSV file for {parameter} but received \"{path}\" ({e.Message})"]);
        }

        var (rows, errors) = MetadataCsv.Parse(text);
        var name = Path.GetFileName(path);
        return (rows, [.. errors.Select(e => $"{name}: {e}")]);
    }
}
