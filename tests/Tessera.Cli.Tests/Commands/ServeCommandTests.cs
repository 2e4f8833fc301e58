namespace Tessera.Cli.Tests.Commands;

public sealed class ServeCommandTests
{
    [Fact]
    public async Task Help_lists_the_serve_command_with_an_example()
    {
        var (exit, output, _) = await CliRunner.RunAsync("--help");

        Assert.Equal(0, exit);
        Assert.Contains("serve", output, StringComparison.Ordinal);
        Assert.Contains("tessera serve --root", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_help_explains_every_option()
    {
        var (_, output, _) = await CliRunner.RunAsync("serve", "--help");

        foreach (var option in new[] { "--root", "--port", "--host", "--base-url", "--max-width", "--max-area", "--rights", "--config" })
        {
            Assert.Contains(option, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Serve_refuses_a_missing_root_with_exit_code_2()
    {
        var originalError = Console.Error;
        using var captured = new StringWriter();
        Console.SetError(captured);
        try
        {
            var (exit, _, _) = await CliRunner.RunAsync("serve", "--root", "/no/such/folder", "--port", "0");

            Assert.Equal(2, exit);
            Assert.Contains("Expected an existing folder for Root", captured.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Console.SetError(originalError);
        }
    }
}
