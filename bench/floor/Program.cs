// The codec floor: renders every request of a URL list in this process, one at a time on an otherwise idle machine,
// through the same pipeline as the server (same planner, same tile path, same encoder settings), and reports per
// request the render time and the part of it spent inside libjpeg-turbo (Jpeg.CodecTime).
//
// The codec's part is work a render cannot skip: the stored tiles that cover the region at the smallest level that
// still covers the output must be entropy-decoded, and the output must be encoded. So N cores can never serve more
// than N / (codec time per request) requests a second, whatever the rest of the server does; bench/run.py sets that
// ceiling beside iipsrv's measured rate.
//
// Usage: dotnet run -c Release --project bench/floor -- ROOT IDENTIFIER LIST [LIST...]
// Prints one JSON object per list on standard output: list, requests, render_ms and codec_ms (means per request).
using System.Diagnostics;
using System.Text.Json;
using Tessera.Core.Iiif;
using Tessera.Core.Planning;
using Tessera.Imaging.Batch;
using Tessera.Vips;

if (args.Length < 3)
{
    Console.Error.WriteLine("usage: floor ROOT IDENTIFIER LIST [LIST...]");
    return 2;
}

if (!Jpeg.IsAvailable)
{
    Console.Error.WriteLine("floor: libturbojpeg0 is not installed, so there is no JPEG tile path to measure");
    return 3;
}

var (root, identifier) = (args[0], args[1]);

// The limits bench/run.py gives the server, and one render at a time.
var pipeline = BatchPipeline.Create(root, jobs: 1, limits: new ServerLimits(20_000, 20_000, 400_000_000));
foreach (var list in args[2..])
{
    var requests = File.ReadAllLines(list).Where(line => line.Length > 0).Select(line => Parse(identifier, line)).ToList();

    // Warm-up: the JIT, the page cache, the open source and its directories.
    foreach (var request in requests.Take(100))
    {
        await Run(request);
    }

    var codecBefore = Jpeg.CodecTime;
    var clock = Stopwatch.StartNew();
    foreach (var request in requests)
    {
        await Run(request);
    }

    var render = clock.Elapsed.TotalMilliseconds / requests.Count;
    var codec = (Jpeg.CodecTime - codecBefore).TotalMilliseconds / requests.Count;
    Console.Error.WriteLine($"floor: {Path.GetFileName(list)}: {requests.Count} requests, {render:F2} ms a render, {codec:F2} ms of it in libjpeg-turbo ({codec / render:P0})");
    Console.WriteLine(JsonSerializer.Serialize(new { list = Path.GetFileName(list), requests = requests.Count, render_ms = render, codec_ms = codec }));
}

return 0;

async Task Run(ImageRequest request)
{
    var outcome = await pipeline.RunAsync(request);
    if (!outcome.TryGetValue(out _, out var error))
    {
        throw new InvalidOperationException($"floor: {request} failed: {error.Message}");
    }
}

static ImageRequest Parse(string identifier, string line)
{
    // region/size/rotation/quality.format, as in bench/work/urls.
    var parts = line.Split('/');
    if (parts.Length != 4)
    {
        throw new FormatException($"floor: not region/size/rotation/quality.format: {line}");
    }

    if (!ImageRequestParser.Parse(ApiVersion.V3, identifier, parts[0], parts[1], parts[2], parts[3]).TryGetValue(out var request, out var error))
    {
        throw new FormatException($"floor: {line}: {error.Message}");
    }

    return request;
}
