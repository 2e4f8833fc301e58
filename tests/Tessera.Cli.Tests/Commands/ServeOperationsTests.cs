using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Tessera.Testing;

namespace Tessera.Cli.Tests.Commands;

/// <summary>
/// <c>tessera serve</c> as an operator runs it, a child process: JSON logs parse line by line and carry a request's
/// fields, the access log is there only when asked for, and SIGTERM under load loses no accepted request and exits 0.
/// </summary>
public sealed class ServeOperationsTests : IDisposable
{
    private readonly MasterFixtures _masters = new("tessera-serve-ops-");

    public ServeOperationsTests()
    {
        _masters.Photo("photo.jpg", 2400);
    }

    [Fact]
    public async Task Json_logs_are_one_object_per_line_with_the_fields_of_a_request_when_the_access_log_is_on()
    {
        var port = CliRunner.FreePort();
        using var child = CliRunner.Start("serve", "--root", _masters.Root, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--cache", "memory", "--log-format", "json", "--access-log");
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        await CliRunner.WaitUntilReadyAsync(child, port);
        using (var response = await client.GetAsync("/iiif/3/photo.jpg/full/200,/0/default.jpg", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var lines = await StopAsync(child);

        var request = Parse(lines).Single(l => l.GetProperty("event").GetString() == "Request" && l.GetProperty("path").GetString()!.Contains("200,", StringComparison.Ordinal));
        Assert.True(DateTimeOffset.TryParse(request.GetProperty("time").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _));
        Assert.Equal("info", request.GetProperty("level").GetString());
        Assert.Equal("photo.jpg", request.GetProperty("identifier").GetString());
        Assert.Equal("image", request.GetProperty("route").GetString());
        Assert.Equal(200, request.GetProperty("status").GetInt32());
        Assert.True(request.GetProperty("duration").GetDouble() > 0);
        Assert.Equal("rendered", request.GetProperty("origin").GetString());
    }

    [Fact]
    public async Task SIGTERM_under_load_finishes_what_was_accepted_refuses_the_rest_and_exits_0_with_no_access_log_by_default()
    {
        var port = CliRunner.FreePort();
        var cache = _masters.Out("cache");
        using var child = CliRunner.Start("serve", "--root", _masters.Root, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--cache-dir", cache, "--log-format", "json", "--shutdown-timeout", "20");
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        await CliRunner.WaitUntilReadyAsync(child, port);

        // Eight clients asking for renders of distinct sizes (none cached) for about 3 s; SIGTERM lands after 1.5 s.
        var ok = 0;
        var refused = 0;
        var okAfterTerm = 0;
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var termAt = long.MaxValue;
        var watch = Stopwatch.StartNew();
        var next = 100;
        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (watch.Elapsed < TimeSpan.FromSeconds(3))
            {
                var width = Interlocked.Increment(ref next);
                var sent = watch.ElapsedTicks;
                try
                {
                    using var response = await client.GetAsync($"/iiif/3/photo.jpg/full/{width},/0/default.jpg");
                    var body = await response.Content.ReadAsByteArrayAsync();
                    if (response.StatusCode != HttpStatusCode.OK || body.Length == 0)
                    {
                        failures.Add($"{width}: {(int)response.StatusCode}, {body.Length} bytes");
                    }
                    else
                    {
                        Interlocked.Increment(ref ok);
                        if (sent < Volatile.Read(ref termAt))
                        {
                            continue;
                        }

                        Interlocked.Increment(ref okAfterTerm);
                    }
                }
                catch (HttpRequestException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
                {
                    Interlocked.Increment(ref refused);
                    await Task.Delay(20);
                }
                catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
                {
                    failures.Add($"{width}: {e.GetType().Name}: {e.Message} {e.InnerException?.Message}");
                }
            }
        })).ToList();

        await Task.Delay(1500, TestContext.Current.CancellationToken);
        Volatile.Write(ref termAt, watch.ElapsedTicks);
        using (var kill = Process.Start("kill", ["-TERM", child.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        await Task.WhenAll(workers);
        var lines = await StopAsync(child, alreadyStopping: true);

        Assert.True(failures.IsEmpty, $"{failures.Count} requests failed other than by a refused connection:\n{string.Join('\n', failures.Take(10))}");
        Assert.Equal(0, child.ExitCode);
        Assert.True(ok > 8, $"Expected a load, but only {ok} requests succeeded");
        Assert.True(refused > 0, "Expected connections refused after the stop");
        var events = Parse(lines).Select(l => l.GetProperty("event").GetString()).ToList();
        Assert.Contains("Stopping", events);
        Assert.Contains("Stopped", events);
        Assert.DoesNotContain("Request", events);
        Assert.Empty(Directory.GetFiles(cache, "*.tmp", SearchOption.AllDirectories));
        Assert.NotEmpty(Directory.GetFiles(cache, "*.tdc", SearchOption.AllDirectories));
        TestContext.Current.SendDiagnosticMessage($"SIGTERM under load: {ok} ok ({okAfterTerm} sent after SIGTERM), {refused} refused");
    }

    public void Dispose() => _masters.Dispose();

    /// <summary>Every line of standard output, each of which must be one JSON object.</summary>
    private static List<JsonElement> Parse(IEnumerable<string> lines) =>
        [.. lines.Where(l => l.Length > 0).Select(l =>
        {
            using var document = JsonDocument.Parse(l);
            Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
            foreach (var field in new[] { "time", "level", "event", "category", "message" })
            {
                Assert.True(document.RootElement.TryGetProperty(field, out _), $"A log line lacks \"{field}\": {l}");
            }

            return document.RootElement.Clone();
        })];


    /// <summary>Sends SIGTERM (unless sent already), waits for the exit and returns standard output's lines.</summary>
    private static async Task<string[]> StopAsync(Process child, bool alreadyStopping = false)
    {
        if (!alreadyStopping)
        {
            using var kill = Process.Start("kill", ["-TERM", child.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        var output = child.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = child.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        await child.WaitForExitAsync(timeout.Token);
        Assert.True(child.ExitCode == 0, $"tessera serve exited with {child.ExitCode}: {await error}");
        return (await output).Split('\n');
    }

}
