using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Core.Iiif;
using Tessera.Imaging.Pipeline;

namespace Tessera.Server.Tests.Operations;

/// <summary>
/// <c>tessera_response_bytes_total</c> counts the body bytes an answer wrote, whether it declared its length or not: a
/// streamed render and a JSON answer (chunked, no <c>Content-Length</c>) are counted by what they wrote, a HEAD answer
/// and a 304 (a length declared, no body sent) count none.
/// </summary>
public sealed class ResponseBytesTests
{
    private const string StreamedPath = "/test/streamed-render";

    [Fact]
    public async Task A_streamed_render_without_a_length_is_counted_by_the_bytes_it_wrote()
    {
        await using var server = await OperationsServer.StartAsync(builder: b => b.Services.AddSingleton<IStartupFilter, StreamedRender>());
        var before = await server.ScrapeAsync();

        using var response = await server.Client.GetAsync(StreamedPath, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.TransferEncodingChunked == true, "the answer was expected to be chunked, with no length declared");
        Assert.False(response.Content.Headers.NonValidated.Contains("Content-Length"));
        Assert.True(body.Length > 10_000, $"Expected a render of some size but received {body.Length} bytes");
        Assert.Equal([0xFF, 0xD8], body[..2]);
        var after = await server.ScrapeAsync();
        Assert.Equal(body.Length, after.Sum("tessera_response_bytes_total", ("route", "other")) - before.Sum("tessera_response_bytes_total", ("route", "other")));
    }

    [Fact]
    public async Task A_JSON_answer_written_as_it_is_serialised_is_counted()
    {
        await using var server = await OperationsServer.StartAsync();
        var before = await server.ScrapeAsync();

        using var response = await server.Client.GetAsync("/auth/me", TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.TransferEncodingChunked == true, "the answer was expected to be chunked, with no length declared");
        Assert.False(response.Content.Headers.NonValidated.Contains("Content-Length"));
        Assert.NotEmpty(body);
        var after = await server.ScrapeAsync();
        Assert.Equal(body.Length, after.Sum("tessera_response_bytes_total") - before.Sum("tessera_response_bytes_total"));
    }

    [Fact]
    public async Task HEAD_and_304_answers_count_no_body_bytes_and_a_GET_counts_its_length()
    {
        await using var server = await OperationsServer.StartAsync();
        const string Tile = "/iiif/3/pyramid.tif/0,0,256,256/256,/0/default.jpg";
        using var get = await server.Client.GetAsync(Tile, TestContext.Current.CancellationToken);
        var tile = await get.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        var before = await server.ScrapeAsync();

        using var headRequest = new HttpRequestMessage(HttpMethod.Head, Tile);
        using var head = await server.Client.SendAsync(headRequest, TestContext.Current.CancellationToken);
        using var conditional = new HttpRequestMessage(HttpMethod.Get, Tile);
        conditional.Headers.IfNoneMatch.Add(get.Headers.ETag!);
        using var notModified = await server.Client.SendAsync(conditional, TestContext.Current.CancellationToken);
        using var again = await server.Client.GetAsync(Tile, TestContext.Current.CancellationToken);
        var repeated = await again.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(tile.Length, head.Content.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        var after = await server.ScrapeAsync();
        Assert.Equal(3, after.Sum("tessera_requests_total", ("route", "image")) - before.Sum("tessera_requests_total", ("route", "image")));
        Assert.Equal(repeated.Length, after.Sum("tessera_response_bytes_total", ("route", "image")) - before.Sum("tessera_response_bytes_total", ("route", "image")));
    }

    /// <summary>
    /// A render streamed to its client in slices, through both of the response's writing surfaces, with no length: what an
    /// endpoint that streams large renders does. Reached when no endpoint of the server matches, so after its middleware.
    /// </summary>
    private sealed class StreamedRender : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Map(StreamedPath, branch => branch.Run(WriteAsync));
        };

        private static async Task WriteAsync(HttpContext context)
        {
            var pipeline = context.RequestServices.GetRequiredService<ImagePipeline>();
            var request = ImageRequestParser.Parse(ApiVersion.V3, OperationsServer.Photo, "full", "600,", "0", "default.jpg").Value;
            var planned = pipeline.Plan(request).Value;
            var image = (await pipeline.RenderAsync(planned.Plan, planned.Source, context.RequestAborted)).Value;
            context.Response.ContentType = image.MediaType;
            const int Slice = 4096;
            for (var offset = 0; offset < image.Data.Length; offset += Slice)
            {
                var slice = image.Data.AsMemory(offset, Math.Min(Slice, image.Data.Length - offset));
                if (offset / Slice % 2 == 0)
                {
                    await context.Response.BodyWriter.WriteAsync(slice, context.RequestAborted);
                }
                else
                {
                    await context.Response.Body.WriteAsync(slice, context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                }
            }
        }
    }
}
