using System.CommandLine;

namespace Tessera.Cli.Commands;

/// <summary>The <c>tessera</c> root command: one tool for the server and the batch pipeline.</summary>
internal static class TesseraCommand
{
    public static RootCommand Create()
    {
        var root = new RootCommand(
            """
            Tessera: a IIIF Image API 3.0 and 2.1 server and image pipeline on libvips.

            Examples:
              tessera serve --root ./samples
              tessera serve --root /data/images --port 8080 --base-url https://images.example.org
              tessera convert ./masters --out ./serve
              tessera seed --root ./serve --out ./static --base-url https://example.org/iiif
              tessera process --root ./photos --instructions instructions.json --out ./derivatives --report report.json
              tessera manifest --root /data/images --out ./manifests --base-url https://images.example.org
              tessera user add users.json alice --role staff
            """);
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(ConvertCommand.Create());
        root.Subcommands.Add(SeedCommand.Create());
        root.Subcommands.Add(ProcessCommand.Create());
        root.Subcommands.Add(ManifestCommand.Create());
        root.Subcommands.Add(UserCommand.Create());
        return root;
    }
}
