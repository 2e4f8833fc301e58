using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Core.Iiif;

namespace Tessera.Server.Http;

/// <summary>
/// The one place where an <see cref="IiifError"/> becomes an HTTP response: its status and a plain-text body naming the
/// parameter. Server-side failures (5xx: a source that cannot be decoded, ...) are also logged, for the operator, once
/// per source file version (<see cref="Operations.SourceFailureLog"/>); the client's mistakes (4xx) are not.
/// </summary>
public static partial class ErrorResults
{
    public static IResult From(IiifError error) => new ErrorResult(error);

    /// <summary>
    /// Middleware for every route: any response of status 400 and up, whoever wrote it (routing's 404, a 503 from a
    /// full queue, an endpoint's own), leaves with <c>Cache-Control: no-store</c> and without validators; an exception
    /// no endpoint handled becomes a 500 with a body that names no path (the operator's log gets the exception).
    /// </summary>
    public static async Task NoStoreOnErrors(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        context.Response.OnStarting(
            static state =>
            {
                var response = (HttpResponse)state;
                if (response.StatusCode >= 400)
                {
                    NoStore(response.Headers);
                }

                return Task.CompletedTask;
            },
            context.Response);

        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            if (context.RequestServices.GetService<ILoggerFactory>() is { } loggers)
            {
                Unhandled(loggers.CreateLogger("Tessera.Server"), context.Request.Path, e);
            }

            context.Response.Clear();
            await From(new IiifError(500, "server", "The server could not answer this request (the error is in its log)")).ExecuteAsync(context).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception for {Path}")]
    private static partial void Unhandled(ILogger logger, string path, Exception exception);

    private static void NoStore(IHeaderDictionary headers)
    {
        headers.CacheControl = "no-store";
        headers.Remove("ETag");
        headers.Remove("Last-Modified");
        headers.Remove("Expires");
    }

    private static string Reason(int status) => status switch
    {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        _ => "Error",
    };

    private sealed class ErrorResult(IiifError error) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => error.Status;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            // For the operator: server-side failures and the client statuses that are the operator's fault (a loop of
            // links), once per source file version rather than once per request.
            if (error.Status >= 500 || error.Warn)
            {
                Operations.SourceFailureLog.Report(httpContext, error);
            }

            // An error is about this moment (a file being written, a damaged source later replaced, a busy server):
            // no cache may keep it, and it has no validators to revalidate with. A 503 says when to ask again: what the
            // error says (a queue's or a budget's wait), else a moment (a source being replaced). RFC 9110 §10.2.3:
            // delay-seconds, a whole number.
            NoStore(httpContext.Response.Headers);
            if (error.RetryAfter is { } retryAfter)
            {
                httpContext.Response.Headers.RetryAfter = ((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (error.Status == 503 && !httpContext.Response.Headers.ContainsKey("Retry-After"))
            {
                httpContext.Response.Headers.RetryAfter = "1";
            }

            var body = $"{error.Status} {Reason(error.Status)}: {error.Parameter}: {error.Message}\n";
            return Results.Text(body, "text/plain; charset=utf-8", statusCode: error.Status).ExecuteAsync(httpContext);
        }
    }
}
