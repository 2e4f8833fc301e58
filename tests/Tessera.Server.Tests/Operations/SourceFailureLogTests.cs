using Tessera.Server.Tests.Fixtures;

namespace Tessera.Server.Tests.Operations;

/// <summary>A damaged source is one line in the log per file version, however often it is asked for.</summary>
public sealed class SourceFailureLogTests(ServerFixture server)
{
    [Fact]
    public async Task A_damaged_source_requested_20_times_logs_one_failure_and_one_more_after_it_changes()
    {
        var identifier = $"damaged-{Guid.NewGuid():N}.jpg";
        var file = Path.Combine(server.Root, identifier);
        await File.WriteAllTextAsync(file, "not a JPEG at all\n", TestContext.Current.CancellationToken);
        try
        {
            await RequestTwentyTimesAsync(identifier);
            Assert.Equal(1, FailureLines(identifier));

            // Replaced by another damaged file: a new version, so one new line, then quiet again.
            await File.WriteAllTextAsync(file, "still not a JPEG, but a different one\n", TestContext.Current.CancellationToken);
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(1));
            await RequestTwentyTimesAsync(identifier);
            Assert.Equal(2, FailureLines(identifier));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private async Task RequestTwentyTimesAsync(string identifier)
    {
        for (var i = 0; i < 20; i++)
        {
            var path = i % 4 == 0 ? $"/iiif/3/{identifier}/info.json" : $"/iiif/3/{identifier}/full/{50 + i},/0/default.jpg";
            using var response = await server.Client.GetAsync(path, TestContext.Current.CancellationToken);
            Assert.True((int)response.StatusCode >= 500, $"{path}: expected a server-side failure but received {(int)response.StatusCode}");
        }
    }

    private int FailureLines(string identifier) =>
        server.Logs.Entries.Count(e => e.Category == "Tessera.Server.Failures" && e.Message.Contains(identifier, StringComparison.Ordinal));
}
