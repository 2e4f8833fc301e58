using System.CommandLine;
using Tessera.Cli.Commands;

var parsed = TesseraCommand.Create().Parse(args);

// `serve` stops on SIGTERM and Ctrl+C through its host (stop accepting, let requests in flight finish within
// ShutdownTimeoutSeconds, close the disk cache, exit 0); System.CommandLine's own handler would end it after 2 s.
var configuration = new InvocationConfiguration();
if (parsed.CommandResult.Command.Name == "serve")
{
    configuration.ProcessTerminationTimeout = null;
}

return await parsed.InvokeAsync(configuration);
