using Amazon.S3;
using Amazon.S3.Model;
using Tessera.Imaging.Storage;
using Tessera.Testing;

namespace Tessera.Imaging.Tests.Storage;

/// <summary>The test store itself, reached through <see cref="S3ClientFactory"/> as Tessera reaches a real one.</summary>
public sealed class S3TestServerTests : IClassFixture<S3TestServer>
{
    private readonly S3TestServer _store;

    public S3TestServerTests(S3TestServer store) => _store = store;

    [Fact]
    public async Task A_client_from_the_factory_puts_and_reads_a_range_and_the_store_logs_it()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = S3ClientFactory.Create(new S3Settings { ServiceUrl = _store.Endpoint.ToString(), ForcePathStyle = true }, S3TestServer.Credentials);
        var bytes = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
        await client.PutObjectAsync(new PutObjectRequest { BucketName = "tessera-sources", Key = "dir/a b.bin", InputStream = new MemoryStream(bytes), UseChunkEncoding = false }, ct);
        _store.ClearRequests();

        using var response = await client.GetObjectAsync(new GetObjectRequest { BucketName = "tessera-sources", Key = "dir/a b.bin", ByteRange = new ByteRange(10, 19) }, ct);
        using var body = new MemoryStream();
        await response.ResponseStream.CopyToAsync(body, ct);

        Assert.Equal(bytes[10..20], body.ToArray());
        var request = Assert.Single(_store.Requests, r => r.IsGetOf("tessera-sources", "dir/a b.bin"));
        Assert.Equal("bytes=10-19", request.Range);
        Assert.Equal(206, request.Status);
        Assert.Equal(10, request.Bytes);
    }

    [Fact]
    public async Task A_stopped_store_is_gone_and_its_folder_deleted()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = S3TestServer.Start("only-bucket");
        using var client = store.CreateClient();
        var buckets = await client.ListBucketsAsync(ct);
        Assert.Equal(["only-bucket"], buckets.Buckets.Select(b => b.BucketName));

        store.Dispose();
        Assert.False(Directory.Exists(store.DataDirectory));
        await Assert.ThrowsAnyAsync<Exception>(() => client.ListBucketsAsync(ct));
    }
}
