using Amazon.S3.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Imaging.Storage;
using Tessera.Server.Hosting;
using Tessera.Testing;
using Tessera.Vips;

namespace Tessera.Server.Tests.Storage;

/// <summary>
/// The same few images served three ways by real Tessera servers: from a folder, from a bucket of a real S3-protocol
/// server (s3rver, <c>s3://masters/coll</c>) and from an HTTP origin (Kestrel with ranges); no derivative cache, so
/// every request reads its source.
/// </summary>
public sealed class RemoteSourcesFixture : IAsyncLifetime
{
    public const string Bucket = "masters";
    public const string Prefix = "coll";
    public const string Pyramid = "pyramid.tif";
    public const string Photo = "photo.jpg";
    public const string Nested = "sub/dir/nested.jpg";

    private readonly List<WebApplication> _apps = [];

    public string Folder { get; } = Directory.CreateTempSubdirectory("tessera-remote-src-").FullName;

    public string Spool { get; } = Directory.CreateTempSubdirectory("tessera-remote-spool-").FullName;

    public S3TestServer Store { get; private set; } = null!;

    public HttpOrigin Origin { get; private set; } = null!;

    public HttpClient Local { get; private set; } = null!;

    public HttpClient S3 { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        // The SDK's standard chain reads these; every S3 test of this process uses s3rver's one key pair.
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", S3TestServer.AccessKey);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", S3TestServer.SecretKey);
        using (var thumbnail = VipsOperation.Image("thumbnail", ("filename", Samples.PathOf(Samples.Sunset)), ("width", 1200)))
        using (var photo = thumbnail.CopyMemory())
        {
            photo.SaveToFile("jpegsave", Path.Combine(Folder, Photo), ("Q", 90));
            photo.SaveToFile("tiffsave", Path.Combine(Folder, Pyramid), ("tile", true), ("tile_width", 256), ("tile_height", 256), ("pyramid", true), ("compression", "jpeg"), ("Q", 90));
            Directory.CreateDirectory(Path.Combine(Folder, "sub", "dir"));
            photo.SaveToFile("jpegsave", Path.Combine(Folder, Nested), ("Q", 80));
        }

        Store = S3TestServer.Start(Bucket);
        using (var client = Store.CreateClient())
        {
            foreach (var name in new[] { Pyramid, Photo, Nested })
            {
                await PutAsync(client, name, await File.ReadAllBytesAsync(Path.Combine(Folder, name)));
            }
        }

        Origin = await HttpOrigin.StartAsync(Folder);
        Local = await StartAsync(new TesseraServerOptions { Root = Folder });
        S3 = await StartAsync(new TesseraServerOptions { Root = $"s3://{Bucket}/{Prefix}", S3 = StoreSettings(Store) });
        Http = await StartAsync(new TesseraServerOptions { Root = Origin.Images.AbsoluteUri, RemoteTimeoutSeconds = 2 });
    }

    /// <summary>S3 settings that reach <paramref name="store"/>: its endpoint, path style, one retry.</summary>
    public static S3Settings StoreSettings(S3TestServer store) => new() { ServiceUrl = store.Endpoint.ToString(), ForcePathStyle = true, MaxRetries = 1 };

    /// <summary>Puts <paramref name="bytes"/> under the fixture's prefix.</summary>
    public static Task PutAsync(Amazon.S3.IAmazonS3 client, string name, byte[] bytes) =>
        client.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = $"{Prefix}/{name}", InputStream = new MemoryStream(bytes), UseChunkEncoding = false });

    /// <summary>A real server with these options (no derivative cache, the fixture's spool), and a client of it.</summary>
    public async Task<HttpClient> StartAsync(TesseraServerOptions options)
    {
        var app = TesseraServer.Build(options with { Cache = CacheMode.None, SpoolDirectory = Spool }, ["http://127.0.0.1:0"]);
        await app.StartAsync();
        _apps.Add(app);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in new[] { Local, S3, Http })
        {
            client?.Dispose();
        }

        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        if (Origin is not null)
        {
            await Origin.DisposeAsync();
        }

        Store?.Dispose();
        Directory.Delete(Folder, recursive: true);
        Directory.Delete(Spool, recursive: true);
    }
}
