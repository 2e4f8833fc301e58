using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Tessera.Server.Http;

namespace Tessera.Server.Tests.Http;

/// <summary>
/// <see cref="IiifPath"/> splits the raw path after <c>/iiif/{version}/</c> into identifier and parameters, decoding
/// each segment once. The version prefix itself is cut off before (by <see cref="RawRequestPath"/>), so the same rest
/// parses the same way under Image API 2.1 and 3.0.
/// </summary>
public sealed class IiifPathTests
{
    private const string PathMessage = "Expected {identifier}/info.json or {identifier}/{region}/{size}/{rotation}/{quality}.{format} but received ";

    [Theory]
    [InlineData("photo.jpg", "photo.jpg")]
    [InlineData("photo.jpg/", "photo.jpg")]
    [InlineData("a%2Fb.jpg", "a/b.jpg")]
    [InlineData("a%2fb.jpg", "a/b.jpg")]
    [InlineData("a%2Fb.jpg/", "a/b.jpg")]
    [InlineData("my%20photo.jpg", "my photo.jpg")]
    [InlineData("info.json", "info.json")]
    public void An_identifier_alone_is_the_base_uri(string rest, string identifier)
    {
        var path = Parse(rest);

        Assert.Equal(IiifPathKind.Base, path.Kind);
        Assert.Equal(identifier, path.Identifier);
        Assert.Empty(path.Parameters);
    }

    [Theory]
    [InlineData("photo.jpg/info.json", "photo.jpg")]
    [InlineData("a%2Fb.jpg/info.json", "a/b.jpg")]
    [InlineData("a/b.jpg/info.json", "a/b.jpg")]
    [InlineData("maps/1850/sheet%201.tif/info.json", "maps/1850/sheet 1.tif")]
    [InlineData("a%252Fb.jpg/info.json", "a%2Fb.jpg")]
    [InlineData("100%25.jpg/info.json", "100%.jpg")]
    [InlineData("full/max/0/info.json", "full/max/0")]
    public void Info_json_after_the_identifier_is_the_image_information(string rest, string identifier)
    {
        var path = Parse(rest);

        Assert.Equal(IiifPathKind.Info, path.Kind);
        Assert.Equal(identifier, path.Identifier);
        Assert.Empty(path.Parameters);
    }

    [Theory]
    [InlineData("photo.jpg/full/max/0/default.jpg", "photo.jpg", "full", "max", "0", "default.jpg")]
    [InlineData("photo.jpg/0,0,256,256/256,/90/gray.png", "photo.jpg", "0,0,256,256", "256,", "90", "gray.png")]
    [InlineData("a%2Fb.tif/square/%5Emax/%21180/bitonal.webp", "a/b.tif", "square", "^max", "!180", "bitonal.webp")]
    [InlineData("a/b/c.tif/pct:10,10,80,80/%21200,200/0/color.jpg", "a/b/c.tif", "pct:10,10,80,80", "!200,200", "0", "color.jpg")]
    [InlineData("a%252Fb.tif/full/max/0/default.jpg", "a%2Fb.tif", "full", "max", "0", "default.jpg")]
    [InlineData("photo.jpg/full/max/0/info.json.jpg", "photo.jpg", "full", "max", "0", "info.json.jpg")]
    public void Five_or_more_segments_are_an_image_request_whose_last_four_are_the_parameters(string rest, string identifier, string region, string size, string rotation, string quality)
    {
        var path = Parse(rest);

        Assert.Equal(IiifPathKind.Image, path.Kind);
        Assert.Equal(identifier, path.Identifier);
        Assert.Equal([region, size, rotation, quality], path.Parameters);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/photo.jpg")]
    [InlineData("/photo.jpg/info.json")]
    [InlineData("/")]
    public void A_missing_identifier_is_a_bad_request_naming_the_identifier(string rest)
    {
        var error = ParseError(rest);

        Assert.Equal(400, error.Status);
        Assert.Equal("identifier", error.Parameter);
        Assert.Equal("Expected an identifier after the version but received nothing", error.Message);
    }

    [Theory]
    [InlineData("photo.jpg/full")]
    [InlineData("photo.jpg/full/max")]
    [InlineData("photo.jpg/full/max/0")]
    [InlineData("photo.jpg//")]
    [InlineData("photo.jpg/info.json/")]
    [InlineData("photo.jpg/info.json%3Fx")]
    [InlineData("a%2Fb.jpg/full/max/0")]
    public void Fewer_than_four_parameters_without_info_json_are_a_bad_request_quoting_the_raw_path(string rest)
    {
        var error = ParseError(rest);

        Assert.Equal(400, error.Status);
        Assert.Equal("path", error.Parameter);
        Assert.Equal(PathMessage + $"\"{rest}\"", error.Message);
    }

    [Theory]
    [InlineData("photo.jpg/info.json")]
    [InlineData("a%2Fb.jpg/full/max/0/default.jpg")]
    [InlineData("a%252Fb.jpg")]
    public void The_2_1_and_3_0_prefixes_leave_the_same_rest_to_parse(string rest)
    {
        var v2 = RawRequestPath.Rest(Context("/iiif/2/" + rest + "?cache=no"), "/iiif/2/");
        var v3 = RawRequestPath.Rest(Context("/iiif/3/" + rest), "/iiif/3/");

        Assert.Equal(rest, v2);
        Assert.Equal(rest, v3);
        Assert.Equal(Parse(v2!), Parse(v3!), IiifPathComparer);
    }

    [Theory]
    [InlineData("/iiif/3/photo.jpg/info.json", "/iiif/2/", null)]
    [InlineData("/iiif/2/photo.jpg/info.json", "/iiif/3/", null)]
    [InlineData("/iiif/4/photo.jpg/info.json", "/iiif/3/", null)]
    [InlineData("/iiif/3", "/iiif/3/", null)]
    [InlineData("/IIIF/3/photo.jpg", "/iiif/3/", null)]
    [InlineData("/iiif/3/", "/iiif/3/", "")]
    [InlineData("/iiif/2/a%2Fb.jpg/info.json?x=%2F", "/iiif/2/", "a%2Fb.jpg/info.json")]
    public void Only_the_exact_version_prefix_is_cut_and_the_query_is_dropped(string target, string prefix, string? rest)
    {
        Assert.Equal(rest, RawRequestPath.Rest(Context(target), prefix));
    }

    [Fact]
    public void The_path_base_of_a_server_behind_a_prefix_comes_off_before_the_version()
    {
        var context = Context("/images/iiif/3/a%2Fb.jpg/info.json");
        context.Request.PathBase = "/images";

        Assert.Equal("a%2Fb.jpg/info.json", RawRequestPath.Rest(context, "/iiif/3/"));
    }

    private static readonly IEqualityComparer<IiifPath> IiifPathComparer = EqualityComparer<IiifPath>.Create(
        (a, b) => a!.Kind == b!.Kind && a.Identifier == b.Identifier && a.Parameters.SequenceEqual(b.Parameters),
        p => HashCode.Combine(p.Kind, p.Identifier));

    private static IiifPath Parse(string rest)
    {
        var outcome = IiifPath.Parse(rest);
        Assert.True(outcome.IsSuccess, $"Expected \"{rest}\" to parse but received {outcome.Error}");
        return outcome.Value;
    }

    private static Core.Iiif.IiifError ParseError(string rest)
    {
        var outcome = IiifPath.Parse(rest);
        Assert.False(outcome.IsSuccess, $"Expected \"{rest}\" to be refused but it parsed as {(outcome.IsSuccess ? outcome.Value : null)}");
        return outcome.Error;
    }

    private static DefaultHttpContext Context(string rawTarget)
    {
        var context = new DefaultHttpContext();
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = rawTarget;
        return context;
    }
}
