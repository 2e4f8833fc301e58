using System.Diagnostics;
using System.Text.Json.Nodes;
using Amazon.S3;
using Amazon.S3.Model;
using Tessera.Cli.Commands;
using Tessera.Testing;

namespace Tessera.Cli.Tests.Batch;

/// <summary>
/// Real <c>tessera</c> child processes against a real S3-protocol server (s3rver), configured only through the AWS
/// SDK's standard environment and <c>Tessera__S3__ForcePathStyle</c>, as a Kubernetes Job would be.
/// </summary>
public sealed class S3BatchCommandTests : IClassFixture<S3TestServer>, IDisposable
{
    private readonly S3TestServer _store;
    private readonly MasterFixtures _fixtures = new("tessera-cli-s3-");
    private readonly AmazonS3Client _client;
    private readonly string _prefix = Guid.NewGuid().ToString("N");

    public S3BatchCommandTests(S3TestServer store)
    {
        _store = store;
        _client = store.CreateClient();
    }

    private Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(TesseraCommand).Assembly.Location);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in _store.Environment)
        {
            start.Environment[name] = value;
        }

        return Process.Start(start)!;
    }

    private async Task<(int Exit, string Error)> RunAsync(params string[] args)
    {
        using var child = Start(args);
        var error = child.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await child.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await child.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (child.ExitCode, await error);
    }

    private async Task<SortedSet<string>> KeysAsync(string bucket, string prefix)
    {
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix + "/" };
        do
        {
            var page = await _client.ListObjectsV2Async(request, TestContext.Current.CancellationToken);
            foreach (var o in page.S3Objects ?? [])
            {
                keys.Add(o.Key[(prefix.Length + 1)..]);
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
        while (request.ContinuationToken is not null);
        return keys;
    }

    private async Task<byte[]> GetAsync(string bucket, string key)
    {
        using var response = await _client.GetObjectAsync(bucket, key, TestContext.Current.CancellationToken);
        using var memory = new MemoryStream();
        await response.ResponseStream.CopyToAsync(memory, TestContext.Current.CancellationToken);
        return memory.ToArray();
    }

    [Fact]
    public async Task Sfo_flow_masters_bucket_to_process_to_derivatives_and_report_in_another_bucket()
    {
        foreach (var (name, width) in new[] { ("1994.18.001.jpg", 800), ("2001/4.png", 500) })
        {
            var file = _fixtures.Photo(name, width, name.EndsWith(".png", StringComparison.Ordinal) ? "pngsave" : "jpegsave");
            await _client.PutObjectAsync(new PutObjectRequest { BucketName = "tessera-sources", Key = $"{_prefix}/{name}", FilePath = file, UseChunkEncoding = false }, TestContext.Current.CancellationToken);
        }

        var instructions = _fixtures.Out("sfo.json");
        await File.WriteAllTextAsync(instructions, """{"b": {"size": "!400,400"}, "s": {"region": "-1,-1,100,100"}}""", TestContext.Current.CancellationToken);

        var (exit, error) = await RunAsync(
            "process", "--root", $"s3://tessera-sources/{_prefix}", "-i", instructions, "--out", $"s3://tessera-output/{_prefix}/derivatives",
            "--uri-template", "{id}/{label}.{format}", "--report", $"s3://tessera-output/{_prefix}/report.json", "--jobs", "2");

        Assert.True(exit == 0, error);
        Assert.Equal(
            ["derivatives/1994.18.001.jpg/b.jpg", "derivatives/1994.18.001.jpg/s.jpg", "derivatives/2001/4.png/b.jpg", "derivatives/2001/4.png/s.jpg", "report.json"],
            await KeysAsync("tessera-output", _prefix));
        var report = JsonNode.Parse(await GetAsync("tessera-output", $"{_prefix}/report.json"))!;
        Assert.Equal(400, (int)report["1994.18.001.jpg"]!["dimensions"]!["b"]![0]!);
        Assert.Equal("2001/4.png/s.jpg", (string?)report["2001/4.png"]!["uris"]!["s"]);
        Assert.Equal(5, report["2001/4.png"]!["palette"]!.AsArray().Count);
    }

    [Fact]
    public async Task Seed_to_a_bucket_killed_with_kill_9_and_rerun_leaves_the_complete_tree_of_whole_objects()
    {
        // A plain JPEG re-decodes for every tile: slow enough per tile to be killed in the middle.
        _fixtures.Photo("big.jpg", 2500);
        var bucketOut = $"s3://tessera-output/{_prefix}";
        string[] Seed(string output) => ["seed", "--root", _fixtures.Root, "--out", output, "--jobs", "2", "big.jpg"];

        using (var child = Start(Seed(bucketOut)))
        {
            var clock = Stopwatch.StartNew();
            while (_store.Requests.Count(r => r.Method == "PUT" && r.Path.Contains(_prefix, StringComparison.Ordinal)) < 25 && !child.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(20, TestContext.Current.CancellationToken);
            }

            Assert.False(child.HasExited, "the seed finished before it could be killed; make the image larger");
            child.Kill(entireProcessTree: true); // SIGKILL on Linux: no cleanup code runs
            await child.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        var afterKill = await KeysAsync("tessera-output", _prefix);
        Assert.NotEmpty(afterKill);

        var (exit, log) = await RunAsync(Seed(bucketOut));
        Assert.True(exit == 0, log);
        Assert.Contains("skipped", log, StringComparison.Ordinal);

        // Against an uninterrupted run into a folder: the same files, byte for byte. Except: s3rver (unlike S3, which
        // makes an object visible only when its PUT completes) streams a PUT straight into the object's file, so a PUT
        // cut by the kill, at most one per job, can leave a truncated object that the rerun then skips. Such an object
        // must be a strict prefix of the right bytes: anything else would be our fault.
        var clean = _fixtures.Out("clean");
        var (cleanExit, _, cleanError) = await CliRunner.RunAsync(Seed(clean));
        Assert.True(cleanExit == 0, cleanError);
        var expected = MasterFixtures.Files(clean);
        Assert.Equal(expected, await KeysAsync("tessera-output", _prefix));
        var cut = new List<string>();
        foreach (var file in expected)
        {
            var stored = await GetAsync("tessera-output", $"{_prefix}/{file}");
            var right = File.ReadAllBytes(Path.Combine(clean, file));
            if (!stored.AsSpan().SequenceEqual(right))
            {
                Assert.True(stored.Length < right.Length && right.AsSpan().StartsWith(stored), $"{file}: {stored.Length} bytes that are not a truncation of the {right.Length} expected");
                Assert.Contains(file, afterKill);
                cut.Add(file);
            }
        }

        Assert.True(cut.Count <= 2, $"more objects cut than PUTs in flight: {string.Join(", ", cut)}");
    }

    public void Dispose()
    {
        _client.Dispose();
        _fixtures.Dispose();
    }
}
