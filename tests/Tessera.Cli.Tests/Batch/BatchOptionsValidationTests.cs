using Tessera.Testing;
namespace Tessera.Cli.Tests.Batch;

/// <summary>What only the options records check reaches the command line as its house message and exit code 2, not a stack trace.</summary>
public sealed class BatchOptionsValidationTests : IDisposable
{
    private readonly MasterFixtures _fixtures = new("tessera-cli-");

    [Fact]
    public async Task An_empty_output_folder_for_seed_is_refused_by_the_options()
    {
        var (exit, _, error) = await CliRunner.RunAsync("seed", "--root", _fixtures.Root, "--out", " ");
        Assert.Equal(2, exit);
        Assert.Contains("Expected a folder for Output but received nothing", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_uri_template_for_process_is_refused_by_the_options()
    {
        var instructions = Path.Combine(_fixtures.Folder, "instructions.json");
        await File.WriteAllTextAsync(instructions, """{"n": {"size": "!320,320"}}""", TestContext.Current.CancellationToken);
        var (exit, _, error) = await CliRunner.RunAsync("process", "--root", _fixtures.Root, "-i", instructions, "--out", _fixtures.Out("d"), "--uri-template", "");
        Assert.Equal(2, exit);
        Assert.Contains("Expected a path template for UriTemplate", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_kernel_for_process_is_refused_with_the_house_message()
    {
        var instructions = Path.Combine(_fixtures.Folder, "instructions.json");
        await File.WriteAllTextAsync(instructions, """{"n": {"size": "!320,320"}}""", TestContext.Current.CancellationToken);
        var (exit, _, error) = await CliRunner.RunAsync("process", "--root", _fixtures.Root, "-i", instructions, "--out", _fixtures.Out("d"), "--kernel", "bicubic");
        Assert.Equal(2, exit);
        Assert.Contains("Expected nearest, linear, cubic, mitchell, lanczos2 or lanczos3 for --kernel but received \"bicubic\"", error, StringComparison.Ordinal);
    }

    public void Dispose() => _fixtures.Dispose();
}
