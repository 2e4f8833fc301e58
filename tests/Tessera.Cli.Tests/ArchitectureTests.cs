using Tessera.Cli.Commands;
using Tessera.Testing.Architecture;

namespace Tessera.Cli.Tests;

/// <summary>The dependency rule of DESIGN.md §2 for Tessera.Cli: Core, Imaging and Server; the binding only through them.</summary>
public sealed class ArchitectureTests
{
    [Fact]
    public void The_command_depends_on_core_imaging_and_server_only()
    {
        DependencyRule.AssertDependsOnlyOn("Tessera.Cli", typeof(TesseraCommand).Assembly, "Tessera.Core", "Tessera.Imaging", "Tessera.Server");
    }
}
