using Tessera.Imaging.Batch;
using Tessera.Testing;

namespace Tessera.Cli.Tests.Commands;

/// <summary>
/// The checks <c>tessera process</c> makes before it builds <see cref="ProcessOptions"/>: a usage error (exit 2) whose
/// one line names the flag, what was expected and what came.
/// </summary>
public sealed class ProcessOptionsTests : IDisposable
{
    private readonly MasterFixtures _fixtures = new("tessera-process-options-");

    [Theory]
    [InlineData("--jobs", "0", "Expected a positive integer for --jobs but received 0")]
    [InlineData("--shard", "5/3", "Expected 0 <= i < n for --shard i/n but received \"5/3\"")]
    [InlineData("--shard", "/", "Expected i/n for --shard (e.g. 0/4) but received \"/\"")]
    public async Task A_value_out_of_range_is_a_usage_error_naming_the_flag(string flag, string value, string message)
    {
        var (exit, _, error) = await CliRunner.RunAsync("process", "--root", _fixtures.Root, "-i", Instructions(), "-o", _fixtures.Out("d"), flag, value);

        Assert.Equal(2, exit);
        Assert.Equal(message, error.TrimEnd());
    }

    [Fact]
    public async Task A_root_that_does_not_exist_is_a_usage_error_quoting_it()
    {
        var missing = _fixtures.Out("missing");

        var (exit, _, error) = await CliRunner.RunAsync("process", "--root", missing, "-i", Instructions(), "-o", _fixtures.Out("d"));

        Assert.Equal(2, exit);
        Assert.Equal($"Expected an existing folder for --root but received \"{missing}\"", error.TrimEnd());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not json")]
    public async Task Instructions_that_cannot_be_read_are_a_usage_error_naming_the_file(string? content)
    {
        var file = _fixtures.Out("instructions.json");
        if (content is not null)
        {
            File.WriteAllText(file, content);
        }

        var (exit, _, error) = await CliRunner.RunAsync("process", "--root", _fixtures.Root, "-i", file, "-o", _fixtures.Out("d"));

        Assert.Equal(2, exit);
        Assert.StartsWith($"Expected a go-iiif instructions file for --instructions but \"{file}\" could not be used: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_smallest_job_and_shard_are_accepted()
    {
        _fixtures.Photo("a.jpg", 200);

        var (exit, _, error) = await CliRunner.RunAsync("process", "--root", _fixtures.Root, "-i", Instructions(), "-o", _fixtures.Out("d"), "--jobs", "1", "--shard", "0/1");

        Assert.True(exit == 0, error);
        Assert.NotEmpty(MasterFixtures.Files(_fixtures.Out("d")));
    }

    private string Instructions()
    {
        var file = _fixtures.Out("i.json");
        File.WriteAllText(file, """{"n": {"size": "!100,100"}}""");
        return file;
    }

    public void Dispose() => _fixtures.Dispose();
}
