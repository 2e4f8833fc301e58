using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Tessera.Server.Operations.Admin;

namespace Tessera.Server.Operations.Metrics;

/// <summary>
/// The middleware that counts every request on its way out (<see cref="TesseraMetrics.Request"/>) and feeds the admin
/// view's <see cref="RequestWindow"/> when that is on. Body bytes are what the answer actually wrote: for the IIIF
/// routes and the legacy tiles (route kinds <c>image</c>, <c>info</c>, <c>base</c>, <c>legacy</c>), whose endpoints
/// answer whole buffers with a <c>Content-Length</c> that the server holds them to, the declared length; for every
/// other route (JSON, pages, anything that may stream) a <see cref="ResponseBodyCounter"/> counts the writes. A HEAD
/// answer, a 304 and a 204 send no body and count 0.
/// </summary>
/// <remarks>
/// A stored tile is counted without any allocation or wrapper (a test holds it to 0 bytes). An endpoint of those four
/// route kinds that one day streams must declare its length, or its bytes go uncounted.
/// </remarks>
internal sealed class RequestCounting(TesseraMetrics metrics, RequestWindow? window)
{
    /// <summary>Counts the request that <paramref name="next"/> answers.</summary>
    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var start = Stopwatch.GetTimestamp();
        var route = RequestRoute.KindOf(context);
        var counter = DeclaresLength(route) ? null : ResponseBodyCounter.Install(context);
        Task task;
        try
        {
            task = next(context);
        }
        catch
        {
            Record(context, route, counter, failed: true, start);
            throw;
        }

        // Most answers complete synchronously: counted without an async state machine.
        if (task.IsCompletedSuccessfully)
        {
            Record(context, route, counter, failed: false, start);
            return Task.CompletedTask;
        }

        return Awaited(task, context, route, counter, start);
    }

    /// <summary>Whether the endpoints of a route kind always declare their answer's length (see the class comment).</summary>
    internal static bool DeclaresLength(string route) => route is "image" or "info" or "base" or "legacy";

    private async Task Awaited(Task task, HttpContext context, string route, ResponseBodyCounter? counter, long start)
    {
        var failed = true;
        try
        {
            await task.ConfigureAwait(false);
            failed = false;
        }
        finally
        {
            Record(context, route, counter, failed, start);
        }
    }

    private void Record(HttpContext context, string route, ResponseBodyCounter? counter, bool failed, long start)
    {
        counter?.Remove();
        var response = context.Response;
        var status = failed && !response.HasStarted ? StatusCodes.Status500InternalServerError : response.StatusCode;
        var bytes = HttpMethods.IsHead(context.Request.Method) || status is StatusCodes.Status304NotModified or StatusCodes.Status204NoContent
            ? 0
            : counter?.Bytes ?? response.ContentLength ?? 0;
        metrics.Request(context, route, status, start, bytes);
        if (window is not null && RequestRoute.Of(context).Identifier is { } identifier)
        {
            window.Add(identifier, status, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
    }
}
