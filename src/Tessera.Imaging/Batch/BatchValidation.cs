namespace Tessera.Imaging.Batch;

/// <summary>The checks the batch options share, each with the house message ("Expected ... for Name but received ...").</summary>
internal static class BatchValidation
{
    /// <summary>The largest tile side the batch commands accept (as <c>--tile-size</c> does).</summary>
    public const int MaxTileSize = 8192;

    public static void Root(List<string> errors, string? root)
    {
        if (string.IsNullOrWhiteSpace(root))
        {
            errors.Add("Expected a folder for Root but received nothing");
        }
        else if (BatchStorage.IsRemote(root))
        {
            // Checked when listed and read: a bucket or web server may be reached only from the machine that runs the job.
        }
        else if (!Directory.Exists(root))
        {
            errors.Add($"Expected an existing folder for Root but received \"{root}\"");
        }
    }

    public static void Output(List<string> errors, string? output)
    {
        if (string.IsNullOrWhiteSpace(output))
        {
            errors.Add("Expected a folder for Output but received nothing");
        }
    }

    public static void Range(List<string> errors, int value, string name, int min, int max = int.MaxValue)
    {
        if (value >= min && value <= max)
        {
            return;
        }

        errors.Add(max == int.MaxValue
            ? min == 1 ? $"Expected a positive integer for {name} but received {value}" : $"Expected {min} or more for {name} but received {value}"
            : $"Expected {min}..{max} for {name} but received {value}");
    }

    public static void Shard(List<string> errors, Shard shard)
    {
        if (shard.Problem() is { } problem)
        {
            errors.Add(problem);
        }
    }
}
