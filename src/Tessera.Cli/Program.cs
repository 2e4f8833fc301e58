using Tessera.Cli.Commands;

return await TesseraCommand.Create().Parse(args).InvokeAsync();
