using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Tessera.Server.Operations;

namespace Tessera.Server.Tests.Operations;

/// <summary>The metrics' route kind, taken without parsing, agrees with the access log's, taken by parsing.</summary>
public sealed class RequestRouteTests
{
    [Theory]
    [InlineData("/iiif/3/photo.jpg/full/max/0/default.jpg", "image")]
    [InlineData("/iiif/2/a%2Fb.tif/0,0,256,256/256,/0/default.jpg", "image")]
    [InlineData("/iiif/3/sub/dir/x.jpg/full/max/0/default.jpg", "image")]
    [InlineData("/iiif/3/photo.jpg/full/max", "image")]
    [InlineData("/iiif/3/", "image")]
    [InlineData("/iiif/3/photo.jpg/info.json", "info")]
    [InlineData("/iiif/3/sub/x.jpg/info.json", "info")]
    [InlineData("/iiif/3/photo.jpg", "base")]
    [InlineData("/iiif/3/photo.jpg/", "base")]
    [InlineData("/iiif/presentation/collection.json", "presentation")]
    [InlineData("/deepzoom/photo.jpg.dzi", "legacy")]
    [InlineData("/zoomify/photo.jpg/ImageProperties.xml", "legacy")]
    [InlineData("/healthz", "health")]
    [InlineData("/readyz", "health")]
    [InlineData("/admin", "admin")]
    [InlineData("/admin/status", "admin")]
    [InlineData("/", "viewer")]
    [InlineData("/view/photo.jpg", "viewer")]
    [InlineData("/mirador/x", "viewer")]
    [InlineData("/favicon.ico", "other")]
    public void The_kind_without_parsing_is_the_kind_parsed(string path, string kind)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = path;

        Assert.Equal(kind, RequestRoute.KindOf(context));
        Assert.Equal(kind, RequestRoute.Of(context).Kind);
    }
}
