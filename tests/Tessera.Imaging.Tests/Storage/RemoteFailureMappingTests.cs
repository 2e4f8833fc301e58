using System.Net;
using Amazon.S3;
using Tessera.Imaging.Storage;

namespace Tessera.Imaging.Tests.Storage;

/// <summary>
/// One mapping of a store's error status to the request's answer, for an HTTP origin's response and an S3 error alike:
/// missing is 404, a store or gateway that gave up waiting 504, anything else 502.
/// </summary>
public sealed class RemoteFailureMappingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<HttpStatusCode, int> Statuses => new()
    {
        { HttpStatusCode.NotFound, 404 },
        { HttpStatusCode.Gone, 404 },
        { HttpStatusCode.RequestTimeout, 504 },
        { HttpStatusCode.GatewayTimeout, 504 },
        { HttpStatusCode.Forbidden, 502 },
        { HttpStatusCode.InternalServerError, 502 },
        { HttpStatusCode.ServiceUnavailable, 502 },
        { HttpStatusCode.BadRequest, 502 },
    };

    /// <summary>Answers every request with one status (the origin's side of the wire; the store's code runs as in production).</summary>
    private sealed class StatusHandler(HttpStatusCode status) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status) { RequestMessage = request });
    }

    [Theory]
    [MemberData(nameof(Statuses))]
    public async Task An_origins_status_and_an_s3_errors_status_give_the_same_answer(HttpStatusCode status, int expected)
    {
        using var handler = new StatusHandler(status);
        using var client = new HttpClient(handler, disposeHandler: false);
        var origin = new HttpRemoteStore(client, new Uri("http://origin.invalid/images/"), TimeSpan.FromSeconds(30));
        var fromOrigin = await Assert.ThrowsAsync<RemoteStoreException>(() => origin.HeadAsync("a.tif", Ct));

        var fromS3 = await Assert.ThrowsAsync<RemoteStoreException>(() => RemoteCalls.RunAsync<bool>(
            TimeSpan.FromSeconds(30),
            "HEAD s3://bucket/a.tif",
            _ => throw new AmazonS3Exception("refused") { StatusCode = status, ErrorCode = "Code" },
            Ct));

        Assert.Equal(expected, fromOrigin.Status);
        Assert.Equal(expected, fromS3.Status);
        Assert.Contains($"the store answered {(int)status}", fromOrigin.Message, StringComparison.Ordinal);
        Assert.Contains($"the store answered {(int)status} Code refused", fromS3.Message, StringComparison.Ordinal);
        Assert.Equal(expected, fromS3.ToError("a.tif").Status);
    }
}
