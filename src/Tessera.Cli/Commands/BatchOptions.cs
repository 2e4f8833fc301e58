using System.CommandLine;
using Tessera.Imaging.Batch;
using Tessera.Imaging.Pipeline;
using Tessera.Imaging.Rendering;
using Tessera.Imaging.Sources;
using Tessera.Imaging.Storage;

namespace Tessera.Cli.Commands;

/// <summary>Options the batch commands share, with one wording and one validation each.</summary>
internal static class BatchOptions
{
    public static Option<int> Jobs() => new("--jobs", "-j")
    {
        Description = "Work items processed at once (default: one per core).",
        DefaultValueFactory = _ => Environment.ProcessorCount,
    };

    public static Option<string?> Shard() => new("--shard")
    {
        Description = "Do only part i of n of the work (0 <= i < n), e.g. 0/4 ... 3/4 on four machines: the parts are disjoint and together complete. Numbered from 0 like Kubernetes indexed Jobs and AWS Batch array jobs.",
    };

    public static Option<string> Kernel() => new("--kernel")
    {
        Description = "Resampling kernel: lanczos3 (default, sharpest), cubic, linear, mitchell, lanczos2, nearest. Keep the server's for tiles identical to the server's.",
        DefaultValueFactory = _ => ResampleKernels.Default.Name(),
    };

    public static Option<int> Quality(string description) => new("--quality", "-q")
    {
        Description = description,
        DefaultValueFactory = _ => RenderOptions.DefaultJpegQuality,
    };

    /// <summary>Parses --kernel, or writes the reason to <paramref name="error"/>.</summary>
    public static bool TryKernel(string? text, TextWriter error, out ResampleKernel kernel)
    {
        if (ResampleKernels.TryParse(text, out kernel))
        {
            return true;
        }

        error.WriteLine(ResampleKernels.Problem(text, "--kernel"));
        return false;
    }

    /// <summary>
    /// Whether the options record found no problems; writes each one otherwise. The flags are checked first with their
    /// own names; this catches what only the options know (the same checks a library caller gets).
    /// </summary>
    public static bool Valid(IReadOnlyList<string> problems, TextWriter error)
    {
        foreach (var problem in problems)
        {
            error.WriteLine(problem);
        }

        return problems.Count == 0;
    }

    /// <summary>
    /// The identifiers given, or every image under <paramref name="root"/> when none are (within
    /// <see cref="ListingLimits.Batch"/>; what the listing skipped, and a truncation, are written to <paramref name="error"/>).
    /// </summary>
    public static string[] Identifiers(string[]? given, string root, TextWriter error, CancellationToken cancellationToken = default)
    {
        if (given is { Length: > 0 })
        {
            return given;
        }

        var listing = PipelineFactory.CreateSources(new ImagePipelineSettings { Root = root, Listing = ListingLimits.Batch }).List(cancellationToken);
        Report(listing, error);
        return [.. listing];
    }

    /// <summary>
    /// How the batch commands read a bucket or HTTP root: the S3 client from the environment (as for <c>--out</c>), a
    /// HEAD trusted for 10 minutes (a job reads each master many times: one HEAD per tile would double its requests),
    /// and a spool of this process's own (a server's spool on the same machine is not cleaned under it), removed by
    /// <see cref="RemoveSpool"/>. Null when the environment's S3 settings are invalid (the reason written to <paramref name="error"/>).
    /// </summary>
    public static RemoteSourceSettings? RemoteSettings(TextWriter error)
    {
        try
        {
            return RemoteSourceSettings.Default with
            {
                S3 = S3Settings.FromEnvironment(),
                RevalidateSeconds = 600,
                SpoolDirectory = Path.Combine(Path.GetTempPath(), $"tessera-batch-spool-{Environment.ProcessId}"),
            };
        }
        catch (Imaging.InvalidOptionsException e)
        {
            error.WriteLine(e.Message);
            return null;
        }
    }

    /// <summary>Deletes the spool <see cref="RemoteSettings"/> named, when the command is done with it.</summary>
    public static void RemoveSpool(RemoteSourceSettings settings)
    {
        try
        {
            Directory.Delete(settings.SpoolPath, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Never made (nothing was spooled), or held: the system's temp cleaning takes it.
        }
    }

    /// <summary>
    /// The identifiers to work on under a remote <paramref name="root"/> (a bucket or an HTTP origin), after one cheap
    /// call that the store can be read (a HeadBucket, a HEAD of the origin): those given, else the bucket's images in
    /// natural order. Null when the root is misspelt, the store cannot be reached, the bucket is missing or its listing
    /// failed, or an origin was given no identifiers; the reason is written to <paramref name="error"/>.
    /// </summary>
    public static string[]? RemoteSourceIdentifiers(string[]? given, string root, RemoteSourceSettings settings, TextWriter error, CancellationToken cancellationToken = default)
    {
        if (RemoteSources.RootProblem(root, "--root") is { } spelling)
        {
            error.WriteLine(spelling);
            return null;
        }

        var resolver = RemoteSources.Create(root, settings, ListingLimits.Batch);
        if (resolver.RootProblem() is { } problem)
        {
            error.WriteLine(problem);
            return null;
        }

        if (given is { Length: > 0 })
        {
            return given;
        }

        if (!resolver.Store.CanList)
        {
            error.WriteLine($"Expected identifiers under {root} (a web server cannot be listed) but received none");
            return null;
        }

        var listing = resolver.List(cancellationToken);
        // A listing that failed part-way is an error (a job must not quietly do part of its work); one stopped by its
        // bounds is reported as a folder's is.
        if (listing.Truncated is { } truncated && truncated.StartsWith("the bucket could not be listed", StringComparison.Ordinal))
        {
            error.WriteLine($"Expected to list the images under {root} but {truncated}");
            return null;
        }

        Report(listing, error);
        return [.. listing];
    }

    /// <summary>
    /// The identifiers given, or every master under a remote root (<c>s3://bucket/prefix</c>) by key, relative to the
    /// prefix; null when the listing failed (the reason written to <paramref name="error"/>).
    /// </summary>
    public static async Task<string[]?> RemoteIdentifiersAsync(string[]? given, string root, TextWriter error, CancellationToken cancellationToken = default)
    {
        if (given is { Length: > 0 })
        {
            return given;
        }

        if (!OutputPaths.IsS3(root))
        {
            error.WriteLine($"Expected identifiers to process under {root} (a web server cannot be listed) but received none");
            return null;
        }

        try
        {
            var masters = await BatchStorage.Default.ListMastersAsync(root, MasterConverter.IsMasterName, cancellationToken);
            return [.. masters.Select(m => m.RelativeName).Order(NaturalStringComparer.Instance)];
        }
        catch (Exception e) when (e is Amazon.Runtime.AmazonServiceException or Amazon.Runtime.AmazonClientException or RemoteStoreException or Imaging.InvalidOptionsException)
        {
            error.WriteLine($"Expected to list the masters under {root} but it failed: {e.Message}");
            return null;
        }
    }

    /// <summary>Writes what a listing skipped, one line each, and a line when it was truncated.</summary>
    public static void Report(SourceListing listing, TextWriter error)
    {
        foreach (var skipped in listing.Skipped)
        {
            error.WriteLine($"Not listed: {skipped}");
        }

        if (listing.Truncated is { } truncated)
        {
            error.WriteLine($"Listing truncated: {truncated}; only the {listing.Count} images found so far are processed");
        }
    }

    /// <summary>Parses --shard, or writes the reason to <paramref name="error"/>.</summary>
    public static bool TryShard(string? text, TextWriter error, out Shard shard)
    {
        shard = Imaging.Batch.Shard.All;
        if (text is null)
        {
            return true;
        }

        if (Imaging.Batch.Shard.TryParse(text, out shard, out var message))
        {
            return true;
        }

        error.WriteLine(message);
        return false;
    }

    /// <summary>Checks a positive integer flag, writing the standard message when it is not.</summary>
    public static bool Positive(int value, string name, TextWriter error, int max = int.MaxValue)
    {
        if (value >= 1 && value <= max)
        {
            return true;
        }

        error.WriteLine(max == int.MaxValue
            ? $"Expected a positive integer for {name} but received {value}"
            : $"Expected 1..{max} for {name} but received {value}");
        return false;
    }
}
