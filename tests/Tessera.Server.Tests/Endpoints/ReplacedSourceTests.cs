using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Tessera.Server.Tests.Fixtures;
using Tessera.Vips;

namespace Tessera.Server.Tests.Endpoints;

/// <summary>
/// A file replaced while it is served, by atomic rename or by a copy in place, between two versions of clearly different
/// size and content, while several readers ask for its info.json, tiles and regions: every 200 is exactly one version
/// (pixels compared with the renders of each version served under other names), one ETag never names two images, and
/// nothing is a 500; what cannot be given is a 503 with Retry-After that no cache keeps.
/// </summary>
public sealed class ReplacedSourceTests(ServerFixture server, ITestOutputHelper output)
{
    private static readonly string[] Requests =
    [
        "info.json",
        "0,0,256,256/256,/0/default.jpg",
        "256,256,512,512/256,/0/default.jpg",
        "full/240,/0/default.jpg",
        "pct:10,10,50,50/200,/0/default.png",
    ];

    /// <summary>Version A: the photo, 1200×800. Version B: the photo turned a quarter and inverted, 800×1200.</summary>
    private static (byte[] A, byte[] B) Versions(string saver, params VipsArg[] options)
    {
        using var thumbnail = VipsOperation.Image("thumbnail", ("filename", Tessera.Testing.Samples.PathOf(Tessera.Testing.Samples.Sunset)), ("width", 1200));
        using var photo = thumbnail.CopyMemory();
        using var turned = photo.Rot("d90");
        using var inverted = turned.Call("invert");
        using var b = inverted.Cast(BandFormat.UChar);
        return (photo.SaveToBuffer(saver, options), b.SaveToBuffer(saver, options));
    }

    [Theory]
    [InlineData("tif", "rename")]
    [InlineData("tif", "in-place")]
    [InlineData("jpg", "rename")]
    [InlineData("jpg", "in-place")]
    public async Task Every_answer_while_a_file_is_replaced_is_one_whole_version_and_never_a_500(string format, string mode)
    {
        var (a, b) = format == "tif"
            ? Versions("tiffsave_buffer", ("tile", true), ("tile_width", 256), ("tile_height", 256), ("pyramid", true), ("compression", "jpeg"), ("Q", 90))
            : Versions("jpegsave_buffer", ("Q", 90));
        var folder = Directory.CreateDirectory(Path.Combine(server.Root, $"replaced-{format}-{mode}")).FullName;
        var name = Path.GetFileName(folder);
        File.WriteAllBytes(Path.Combine(folder, $"a.{format}"), a);
        File.WriteAllBytes(Path.Combine(folder, $"b.{format}"), b);
        var target = Path.Combine(folder, $"target.{format}");
        File.WriteAllBytes(target, a);

        // What each version answers, asked under names that never change.
        var expected = new Dictionary<(string Version, string Request), byte[]>();
        foreach (var request in Requests)
        {
            foreach (var version in new[] { "a", "b" })
            {
                expected[(version, request)] = await server.Client.GetByteArrayAsync($"/iiif/3/{name}%2F{version}.{format}/{request}", TestContext.Current.CancellationToken);
            }
        }

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(4));
        // A thread of its own, as a real writer is not held up by the server's thread pool.
        var writer = Task.Factory.StartNew(() => Replace(target, a, b, mode, stop.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var results = new ConcurrentBag<(string Request, int Status, byte[] Body, string? ETag, string? CacheControl, bool RetryAfter)>();
        var readers = Enumerable.Range(0, 6).Select(reader => Task.Run(async () =>
        {
            for (var i = reader; !stop.IsCancellationRequested; i++)
            {
                var request = Requests[i % Requests.Length];
                using var response = await server.Client.GetAsync($"/iiif/3/{name}%2Ftarget.{format}/{request}", CancellationToken.None);
                var body = await response.Content.ReadAsByteArrayAsync(CancellationToken.None);
                results.Add((request, (int)response.StatusCode, body, response.Headers.ETag?.Tag, response.Headers.CacheControl?.ToString(), response.Headers.RetryAfter is not null));
            }
        })).ToArray();
        await Task.WhenAll(readers);
        await writer;

        int matchedA = 0, matchedB = 0, mixed = 0, busy = 0, failed = 0;
        var problems = new List<string>();
        foreach (var (request, status, body, etag, cacheControl, retryAfter) in results)
        {
            switch (status)
            {
                case 200:
                    var version = Match(request, body, expected);
                    if (version == "a")
                    {
                        matchedA++;
                    }
                    else if (version == "b")
                    {
                        matchedB++;
                    }
                    else
                    {
                        mixed++;
                        problems.Add($"{request}: 200 matching neither version ({body.Length} bytes, ETag {etag})");
                    }

                    break;
                case 503:
                    busy++;
                    if (!retryAfter || cacheControl != "no-store")
                    {
                        problems.Add($"{request}: 503 with Retry-After {retryAfter} and Cache-Control {cacheControl}");
                    }

                    break;
                default:
                    failed++;
                    problems.Add($"{request}: {status} {System.Text.Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 200)))}");
                    break;
            }
        }

        // One ETag, one image: a validator never names two versions' bytes.
        foreach (var group in results.Where(r => r.Status == 200 && r.ETag is not null).GroupBy(r => r.ETag))
        {
            if (group.Select(r => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(r.Body))).Distinct().Count() > 1)
            {
                problems.Add($"ETag {group.Key} named different bodies");
            }
        }

        var figures = $"{format}, {mode}: {results.Count} answers, {matchedA} version A, {matchedB} version B, {mixed} neither, {busy} 503, {failed} other";
        output.WriteLine(figures);
        Assert.True(problems.Count == 0, figures + "\n" + string.Join("\n", problems.Distinct().Take(20)));
        Assert.True(matchedA > 0 && matchedB > 0, figures);
        Assert.True(busy * 2 < results.Count, figures);
    }

    /// <summary>"a" or "b", the version the answer is, or null when it is neither.</summary>
    private static string? Match(string request, byte[] body, Dictionary<(string Version, string Request), byte[]> expected)
    {
        if (request == "info.json")
        {
            using var json = JsonDocument.Parse(body);
            var width = json.RootElement.GetProperty("width").GetInt32();
            var height = json.RootElement.GetProperty("height").GetInt32();
            return (width, height) switch
            {
                (1200, 800) => "a",
                (800, 1200) => "b",
                _ => null,
            };
        }

        using var actual = VipsImage.NewFromBuffer(body);
        foreach (var version in new[] { "a", "b" })
        {
            using var reference = VipsImage.NewFromBuffer(expected[(version, request)]);
            if (reference.Width == actual.Width && reference.Height == actual.Height && reference.Bands == actual.Bands)
            {
                using var difference = VipsOperation.Image("subtract", ("left", actual), ("right", reference));
                using var absolute = difference.Call("abs");
                // The same version by another path (a stored tile's bytes, or the same tile re-encoded when the kept handle
                // was refused) differs by a re-encode (mean under 3); a mix of versions (the other's size or content,
                // inverted here) by tens.
                if (absolute.Average() < 6)
                {
                    return version;
                }
            }
        }

        return null;
    }

    /// <summary>Every 250 ms (the cadence), the other version: renamed over the target, or copied into it 16 KB at a time.</summary>
    private static void Replace(string target, byte[] a, byte[] b, string mode, CancellationToken stop)
    {
        for (var i = 1; !stop.IsCancellationRequested; i++)
        {
            var next = i % 2 == 1 ? b : a;
            if (mode == "rename")
            {
                var temporary = target + $".{i}.tmp";
                File.WriteAllBytes(temporary, next);
                File.Move(temporary, target, overwrite: true);
            }
            else
            {
                using var stream = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
                for (var offset = 0; offset < next.Length; offset += 16384)
                {
                    stream.Write(next.AsSpan(offset, Math.Min(16384, next.Length - offset)));
                    stream.Flush();
                    Thread.Sleep(1);
                }
            }

            Thread.Sleep(250);
        }
    }
}
