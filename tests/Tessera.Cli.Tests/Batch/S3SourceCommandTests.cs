using System.Diagnostics;
using Amazon.S3;
using Amazon.S3.Model;
using Tessera.Cli.Commands;
using Tessera.Testing;

namespace Tessera.Cli.Tests.Batch;

/// <summary>
/// <c>tessera seed</c> and <c>tessera manifest</c> with a bucket as their input (<c>--root s3://...</c>), run as real
/// child processes configured only by the AWS SDK's standard environment, against a real S3-protocol server (s3rver):
/// the same files as from the folder the bucket was filled from, reruns that skip what exists, and a store that cannot
/// be read is one clear line and exit code 1.
/// </summary>
public sealed class S3SourceCommandTests : IClassFixture<S3TestServer>, IDisposable
{
    private const string Bucket = "tessera-sources";
    private readonly S3TestServer _store;
    private readonly MasterFixtures _fixtures = new("tessera-cli-s3-src-");
    private readonly AmazonS3Client _client;

    // Ends with the local root's own name, so a collection's label (the root's last segment) is the same both ways.
    private readonly string _prefix;

    public S3SourceCommandTests(S3TestServer store)
    {
        _store = store;
        _client = store.CreateClient();
        _prefix = $"{Guid.NewGuid():N}/{Path.GetFileName(_fixtures.Root)}";
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string BucketRoot => $"s3://{Bucket}/{_prefix}";

    private async Task<(int Exit, string Out, string Error)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(TesseraCommand).Assembly.Location);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var child = Process.Start(start)!;
        var error = child.StandardError.ReadToEndAsync(Ct);
        var output = await child.StandardOutput.ReadToEndAsync(Ct);
        await child.WaitForExitAsync(Ct);
        return (child.ExitCode, output, await error);
    }

    private Task<(int Exit, string Out, string Error)> RunAsync(params string[] args) => RunAsync(_store.Environment, args);

    /// <summary>Copies every file under the local root to the bucket under <see cref="_prefix"/>.</summary>
    private async Task UploadRootAsync()
    {
        foreach (var file in MasterFixtures.Files(_fixtures.Root))
        {
            await _client.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = $"{_prefix}/{file}", FilePath = Path.Combine(_fixtures.Root, file), UseChunkEncoding = false }, Ct);
        }
    }

    private static void AssertSameFiles(string expected, string actual)
    {
        var files = MasterFixtures.Files(expected);
        Assert.NotEmpty(files);
        Assert.Equal(files, MasterFixtures.Files(actual));
        foreach (var file in files)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(expected, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(actual, file))), $"{file} differs");
        }
    }

    [Fact]
    public async Task Seed_from_a_bucket_writes_the_folders_tiles_byte_for_byte_and_a_rerun_skips_them_all()
    {
        _fixtures.Pyramid("maps/atlas.tif", 1100);
        _fixtures.Photo("photo.jpg", 600);
        await UploadRootAsync();
        var fromFolder = _fixtures.Out("from-folder");
        var fromBucket = _fixtures.Out("from-bucket");

        var (folderExit, _, folderError) = await CliRunner.RunAsync("seed", "--root", _fixtures.Root, "--out", fromFolder, "--jobs", "2");
        Assert.True(folderExit == 0, folderError);

        // No identifiers: the bucket is listed, as the folder is walked.
        var (exit, _, error) = await RunAsync("seed", "--root", BucketRoot, "--out", fromBucket, "--jobs", "2");
        Assert.True(exit == 0, error);
        AssertSameFiles(fromFolder, fromBucket);
        Assert.Contains("maps/atlas.tif/info.json", MasterFixtures.Files(fromBucket));

        // The rerun lists and describes the masters, and renders nothing: every file is there.
        var (rerun, _, rerunError) = await RunAsync("seed", "--root", BucketRoot, "--out", fromBucket, "--jobs", "2");
        Assert.True(rerun == 0, rerunError);
        Assert.Contains($"seed: 0 written, {MasterFixtures.Files(fromFolder).Count} skipped, 0 failed", rerunError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Manifest_from_a_bucket_writes_the_folders_documents_and_a_rerun_rewrites_none()
    {
        _fixtures.Photo("book/page-2.jpg", 300);
        _fixtures.Photo("book/page-10.jpg", 320);
        _fixtures.Pyramid("map.tif", 700);
        await UploadRootAsync();
        var fromFolder = _fixtures.Out("docs-folder");
        var bucketOut = $"s3://tessera-output/{Guid.NewGuid():N}";
        const string baseUrl = "https://images.example.org";

        var (folderExit, _, folderError) = await CliRunner.RunAsync("manifest", "--root", _fixtures.Root, "--out", fromFolder, "--base-url", baseUrl);
        Assert.True(folderExit == 0, folderError);
        var (exit, output, error) = await RunAsync("manifest", "--root", BucketRoot, "--out", bucketOut, "--base-url", baseUrl);
        Assert.True(exit == 0, error);
        Assert.Contains("Wrote 2 manifests", output, StringComparison.Ordinal);

        var outPrefix = bucketOut["s3://tessera-output/".Length..];
        foreach (var file in MasterFixtures.Files(fromFolder))
        {
            using var response = await _client.GetObjectAsync("tessera-output", $"{outPrefix}/{file}", Ct);
            using var reader = new StreamReader(response.ResponseStream);
            Assert.Equal(await File.ReadAllTextAsync(Path.Combine(fromFolder, file), Ct), await reader.ReadToEndAsync(Ct));
        }

        _store.ClearRequests();
        var (rerun, rerunOutput, rerunError) = await RunAsync("manifest", "--root", BucketRoot, "--out", bucketOut, "--base-url", baseUrl);
        Assert.True(rerun == 0, rerunError);
        Assert.Contains("3 already there unchanged", rerunOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(_store.Requests, r => r.Method == "PUT");
    }

    [Theory]
    [InlineData("seed")]
    [InlineData("manifest")]
    public async Task A_missing_bucket_is_one_line_naming_it_and_exit_code_1(string command)
    {
        var (exit, _, error) = await RunAsync(command, "--root", "s3://no-such-bucket/masters", "--out", _fixtures.Out("x"), "--base-url", "https://example.org");

        Assert.Equal(1, exit);
        Assert.StartsWith("Expected a readable bucket at s3://no-such-bucket/masters but", error.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal); // no stack trace
        Assert.False(Directory.Exists(_fixtures.Out("x")));
    }

    /// <summary><c>process</c> answers a bucket it cannot list as seed and manifest do: one line, exit code 1 (it said 2, a usage error).</summary>
    [Fact]
    public async Task Process_over_a_missing_bucket_is_one_line_and_exit_code_1()
    {
        var instructions = _fixtures.Out("instructions.json");
        Directory.CreateDirectory(Path.GetDirectoryName(instructions)!);
        File.WriteAllText(instructions, """{"thumb": {"region": "full", "size": "100,", "rotation": "0", "quality": "default", "format": "jpg"}}""");

        var (exit, _, error) = await RunAsync("process", "--root", "s3://no-such-bucket/masters", "--instructions", instructions, "--out", _fixtures.Out("p"));

        Assert.Equal(1, exit);
        Assert.StartsWith("Expected to list the masters under s3://no-such-bucket/masters but it failed", error.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_fixtures.Out("p")));
    }

    [Theory]
    [InlineData("seed")]
    [InlineData("manifest")]
    public async Task An_unreachable_store_is_one_line_and_exit_code_1_not_a_crash(string command)
    {
        var environment = new Dictionary<string, string>(_store.Environment)
        {
            ["AWS_ENDPOINT_URL_S3"] = $"http://127.0.0.1:{CliRunner.FreePort()}",
            ["Tessera__S3__MaxRetries"] = "0",
        };

        var clock = Stopwatch.StartNew();
        var (exit, _, error) = await RunAsync(environment, command, "--root", BucketRoot, "--out", _fixtures.Out("y"), "--base-url", "https://example.org");

        Assert.Equal(1, exit);
        Assert.StartsWith($"Expected a readable bucket at {BucketRoot} but", error.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
    }

    public void Dispose()
    {
        _client.Dispose();
        _fixtures.Dispose();
    }
}
