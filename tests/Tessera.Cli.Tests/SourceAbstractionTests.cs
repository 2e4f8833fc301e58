using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Tessera.Cli.Commands;
using Tessera.Server.Hosting;

namespace Tessera.Cli.Tests;

/// <summary>
/// The server and the commands reach sources only through <c>ISourceResolver</c>: the one place a root folder becomes
/// a <c>FileSystemSourceResolver</c> is <c>PipelineFactory</c> in Tessera.Imaging, so other kinds of source (object
/// stores, HTTP) need no change here.
/// </summary>
public sealed class SourceAbstractionTests
{
    [Fact]
    public void Neither_the_server_nor_the_command_names_the_file_system_resolver()
    {
        foreach (var assembly in new[] { typeof(TesseraServer).Assembly, typeof(TesseraCommand).Assembly })
        {
            Assert.DoesNotContain("Tessera.Imaging.Sources.FileSystemSourceResolver", TypesReferenced(assembly.Location));
        }
    }

    [Fact]
    public void The_manifest_command_takes_presentation_sources_from_imaging_not_the_web_project() =>
        Assert.DoesNotContain("Tessera.Server.Presentation.PresentationSource", TypesReferenced(typeof(TesseraCommand).Assembly.Location));

    [Fact]
    public void The_check_sees_types_that_are_referenced() =>
        Assert.Contains("Tessera.Imaging.Presentation.PresentationSource", TypesReferenced(typeof(TesseraCommand).Assembly.Location));

    private static HashSet<string> TypesReferenced(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        return [.. metadata.TypeReferences.Select(h => metadata.GetTypeReference(h)).Select(t => $"{metadata.GetString(t.Namespace)}.{metadata.GetString(t.Name)}")];
    }
}
