using Tessera.Testing;
using Tessera.Imaging.Sources;
using Tessera.Imaging.Tests.Batch;

namespace Tessera.Imaging.Tests.Sources;

public sealed class FileSystemSourceResolverTests : IDisposable
{
    private readonly MasterFixtures _fixtures = new("tessera-batch-");

    [Theory]
    [InlineData("", "Expected a non-empty identifier")]
    [InlineData("/etc/passwd", "Expected a relative identifier but received an absolute path")]
    [InlineData("a\\b.jpg", "Expected an identifier without backslashes")]
    [InlineData("a\nb.jpg", "Expected an identifier without control characters (NUL, newline, ...)")]
    [InlineData("../photo.jpg", "Expected an identifier without empty, \".\" or \"..\" path segments but received \"../photo.jpg\"")]
    [InlineData("a//photo.jpg", "Expected an identifier without empty, \".\" or \"..\" path segments but received \"a//photo.jpg\"")]
    public void A_malformed_identifier_is_refused_through_the_interface_as_resolve_refuses_it(string identifier, string expected)
    {
        ISourceResolver resolver = new FileSystemSourceResolver(_fixtures.Root);
        Assert.Equal(expected, resolver.IdentifierProblem(identifier));
        Assert.False(resolver.Resolve(identifier).TryGetValue(out _, out var error));
        Assert.Equal(400, error.Status);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("photo.jpg")]
    [InlineData("maps/1850 atlas/page-2.tif")]
    [InlineData("missing.jpg")]
    public void A_relative_path_has_no_problem_whether_or_not_it_exists(string identifier) =>
        Assert.Null(new FileSystemSourceResolver(_fixtures.Root).IdentifierProblem(identifier));

    [Fact]
    public void An_identifier_longer_than_1024_characters_is_refused() =>
        Assert.Equal("Expected an identifier of at most 1024 characters but received 1025", new FileSystemSourceResolver(_fixtures.Root).IdentifierProblem(new string('a', 1025)));

    public void Dispose() => _fixtures.Dispose();
}
