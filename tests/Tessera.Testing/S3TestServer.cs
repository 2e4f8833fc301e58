using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;

namespace Tessera.Testing;

/// <summary>
/// A real S3-protocol server for tests: s3rver (web/node_modules, run by node) on 127.0.0.1 at a port the system picks,
/// storing into a temporary folder, with the given buckets made at start. Every request it answers is recorded in
/// <see cref="Requests"/> (method, path, Range header, status, bytes sent), so tests can count the GETs a response
/// cost. Listings page for real (continuation tokens; see the node flag below). Disposing kills the process and deletes the folder; node also exits by itself when the test process dies
/// (it watches its standard input), so no store outlives a crashed run. Usable as an xunit class fixture (its public
/// constructor makes the buckets in <see cref="DefaultBuckets"/>) or through <see cref="Start"/>.
/// </summary>
public sealed class S3TestServer : IDisposable, IAsyncDisposable
{
    /// <summary>The access key and secret s3rver accepts.</summary>
    public const string AccessKey = "S3RVER";

    /// <summary>The secret s3rver accepts.</summary>
    public const string SecretKey = "S3RVER";

    /// <summary>The region clients sign for.</summary>
    public const string Region = "us-east-1";

    /// <summary>The buckets the fixture constructor makes.</summary>
    public static IReadOnlyList<string> DefaultBuckets { get; } = ["tessera-sources", "tessera-cache", "tessera-output"];

    // Loaded from the installed package; a 'request' listener logs each answered request as one JSON line on stdout,
    // and the end of stdin (the test process gone) stops the server.
    private const string Script = """
        const S3rver = require(process.argv[1]);
        const buckets = JSON.parse(process.argv[3]).map(name => ({ name, configs: [] }));
        const server = new S3rver({ address: '127.0.0.1', port: 0, directory: process.argv[2], silent: true, configureBuckets: buckets });
        server.run().then(({ port }) => {
          server.httpServer.on('request', (req, res) => {
            let bytes = 0;
            const write = res.write.bind(res), end = res.end.bind(res);
            res.write = (chunk, ...rest) => { if (chunk) bytes += Buffer.byteLength(chunk); return write(chunk, ...rest); };
            res.end = (chunk, ...rest) => { if (chunk && typeof chunk !== 'function') bytes += Buffer.byteLength(chunk); return end(chunk, ...rest); };
            res.on('finish', () => console.log('S3REQ ' + JSON.stringify({ method: req.method, path: req.url, range: req.headers['range'] || null, status: res.statusCode, bytes })));
          });
          console.log('LISTENING ' + port);
        }, error => { console.error(error); process.exit(1); });
        process.stdin.on('end', () => process.exit(0));
        process.stdin.resume();
        """;

    private readonly Process _process;
    private readonly ConcurrentQueue<S3TestRequest> _requests = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private int _disposed;

    /// <summary>Starts a server with <see cref="DefaultBuckets"/> (the constructor xunit calls for a fixture).</summary>
    public S3TestServer()
        : this(DefaultBuckets)
    {
    }

    private S3TestServer(IReadOnlyList<string> buckets)
    {
        Buckets = buckets;
        DataDirectory = Directory.CreateTempSubdirectory("tessera-s3rver-").FullName;
        var module = Repository.PathOf("web", "node_modules", "s3rver");
        if (!Directory.Exists(module))
        {
            throw new DirectoryNotFoundException($"Expected s3rver installed at {module} (npm ci in web/) but found none");
        }

        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // s3rver makes ListObjectsV2 continuation tokens with DES (crypto.createCipheriv('des', ...)); Node 17+ links
        // OpenSSL 3, which keeps DES in its legacy provider, so without this flag every truncated listing fails with
        // "digital envelope routines::unsupported" and paging past one page cannot be tested.
        start.ArgumentList.Add("--openssl-legacy-provider");
        start.ArgumentList.Add("-e");
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add(module);
        start.ArgumentList.Add(DataDirectory);
        start.ArgumentList.Add(JsonSerializer.Serialize(buckets));
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => OnOutput(e.Data, listening);
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _errors.Enqueue(e.Data);
            }
        };
        _process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"s3rver exited before listening: {string.Join('\n', _errors)}"));
        _process.EnableRaisingEvents = true;
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        try
        {
            if (!listening.Task.Wait(TimeSpan.FromSeconds(30)))
            {
                throw new TimeoutException($"Expected s3rver to listen within 30 s but it did not: {string.Join('\n', _errors)}");
            }

            Port = listening.Task.Result;
            WaitUntilAnswering(TimeSpan.FromSeconds(10));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Starts a server with exactly <paramref name="buckets"/>.</summary>
    public static S3TestServer Start(params string[] buckets) => new(buckets);

    /// <summary>The buckets made at start.</summary>
    public IReadOnlyList<string> Buckets { get; }

    /// <summary>The folder s3rver stores into (deleted on dispose).</summary>
    public string DataDirectory { get; }

    /// <summary>The port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The endpoint, e.g. <c>http://127.0.0.1:40123</c>: give it as the S3 service URL, with path-style addressing.</summary>
    public Uri Endpoint => new($"http://127.0.0.1:{Port}");

    /// <summary>Credentials s3rver accepts.</summary>
    public static AWSCredentials Credentials { get; } = new BasicAWSCredentials(AccessKey, SecretKey);

    /// <summary>
    /// Every request answered so far, in order of completion. The log arrives through the process's output, a moment
    /// after each answer: reading it first sends a marker request and waits until the marker is logged, so every
    /// request answered before the call is in it.
    /// </summary>
    public IReadOnlyList<S3TestRequest> Requests
    {
        get
        {
            CatchUp();
            return [.. _requests];
        }
    }

    /// <summary>
    /// Environment variables that point the AWS SDK's standard chain at this server, for a child process (a
    /// <c>tessera</c> command): credentials, region, endpoint and path-style addressing.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["AWS_ACCESS_KEY_ID"] = AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = SecretKey,
        ["AWS_REGION"] = Region,
        ["AWS_ENDPOINT_URL_S3"] = Endpoint.ToString().TrimEnd('/'),
        ["Tessera__S3__ForcePathStyle"] = "true",
    };

    /// <summary>Forgets the requests answered so far (after waiting for their log, as <see cref="Requests"/> does), so a test counts only its own.</summary>
    public void ClearRequests()
    {
        CatchUp();
        _requests.Clear();
    }

    private void CatchUp()
    {
        var marker = $"/?tessera-log-marker={Guid.NewGuid():N}";
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
        {
            http.GetAsync(new Uri(Endpoint, marker)).GetAwaiter().GetResult().Dispose();
        }

        var deadline = Stopwatch.StartNew();
        while (!_requests.Any(r => r.Path == marker))
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new TimeoutException($"Expected s3rver to log the marker request {marker} within 10 s but it did not");
            }

            Thread.Sleep(5);
        }

        // Drop the markers (this one and any other caller's) from what tests see.
        var kept = _requests.Where(r => !r.Path.StartsWith("/?tessera-log-marker=", StringComparison.Ordinal)).ToList();
        _requests.Clear();
        foreach (var request in kept)
        {
            _requests.Enqueue(request);
        }
    }

    /// <summary>
    /// A client for this server made directly with the SDK (path style, its endpoint, its credentials, checksums only
    /// when required, as s3rver predates the SDK's default ones), for tests to put and delete objects with. Puts must
    /// set <c>UseChunkEncoding = false</c>: s3rver does not decode aws-chunked bodies and would store the signatures.
    /// </summary>
    public AmazonS3Client CreateClient() => new(Credentials, new AmazonS3Config
    {
        ServiceURL = Endpoint.ToString(),
        AuthenticationRegion = Region,
        ForcePathStyle = true,
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        MaxErrorRetry = 0,
    });

    /// <summary>Stops the server at once (as a store going down would) and deletes its folder; idempotent.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone: nothing to stop.
        }

        _process.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by the dying process; the system's temp cleaning takes it.
        }
    }

    /// <inheritdoc cref="Dispose"/>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private void OnOutput(string? line, TaskCompletionSource<int> listening)
    {
        if (line is null)
        {
            return;
        }

        if (line.StartsWith("LISTENING ", StringComparison.Ordinal))
        {
            listening.TrySetResult(int.Parse(line["LISTENING ".Length..], System.Globalization.CultureInfo.InvariantCulture));
        }
        else if (line.StartsWith("S3REQ ", StringComparison.Ordinal))
        {
            var request = JsonSerializer.Deserialize<S3TestRequest>(line["S3REQ ".Length..], JsonOptions);
            if (request is not null)
            {
                _requests.Enqueue(request);
            }
        }
    }

    private void WaitUntilAnswering(TimeSpan limit)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var socket = new TcpClient();
                socket.Connect("127.0.0.1", Port);
                return;
            }
            catch (SocketException) when (deadline.Elapsed < limit)
            {
                Thread.Sleep(50);
            }
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };
}
