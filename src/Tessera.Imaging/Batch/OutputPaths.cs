namespace Tessera.Imaging.Batch;

/// <summary>The rules every output path follows, wherever it is written.</summary>
public static class OutputPaths
{
    /// <summary>
    /// Why a relative output path is not one (absolute, empty, or with <c>.</c>, <c>..</c> or empty segments that would
    /// leave the output root or name it differently on disk and in a bucket), or null when it is fine.
    /// </summary>
    public static string? Problem(string relativePath)
    {
        if (string.IsNullOrEmpty(relativePath) || relativePath.StartsWith('/') || relativePath.Contains('\\', StringComparison.Ordinal))
        {
            return $"Expected a relative path with / separators for an output but received \"{relativePath}\"";
        }

        foreach (var segment in relativePath.Split('/'))
        {
            if (segment is "" or "." or "..")
            {
                return $"Expected a path inside the output (no empty, . or .. segments) but received \"{relativePath}\"";
            }
        }

        return null;
    }

    /// <summary>The folder part of a relative path (empty at the top), with its trailing <c>/</c>.</summary>
    public static string FolderOf(string relativePath)
    {
        var slash = relativePath.LastIndexOf('/');
        return slash < 0 ? string.Empty : relativePath[..(slash + 1)];
    }

    /// <summary>Whether a location names an S3 bucket (<c>s3://bucket[/prefix]</c>) rather than a local folder.</summary>
    public static bool IsS3(string location) => location.StartsWith("s3://", StringComparison.OrdinalIgnoreCase);
}
