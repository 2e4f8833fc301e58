using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Tessera.Server.Operations;

/// <summary>
/// One log line per request (event <c>Request</c>, category <c>Tessera.Server.Access</c>) through the server's logger,
/// so text and JSON logs carry it alike: method, path, status, duration in milliseconds, route kind, identifier and
/// where the bytes came from (the <c>X-Tessera-Origin</c> value). Off unless <c>AccessLog</c> is set.
/// </summary>
public static partial class AccessLog
{
    public const string Category = "Tessera.Server.Access";

    /// <summary>Adds the access log in front of every endpoint.</summary>
    public static IApplicationBuilder UseAccessLog(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        return app.Use(async (context, next) =>
        {
            var start = Stopwatch.GetTimestamp();
            var failed = true;
            try
            {
                await next(context);
                failed = false;
            }
            finally
            {
                if (logger.IsEnabled(LogLevel.Information))
                {
                    Log(logger, context, start, failed);
                }
            }
        });
    }

    private static void Log(ILogger logger, HttpContext context, long start, bool failed)
    {
        var route = RequestRoute.Of(context);
        var status = failed && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
        var origin = context.Response.Headers[Metrics.MetricLabels.OriginHeader].ToString();
        var duration = Math.Round(Stopwatch.GetElapsedTime(start).TotalMilliseconds, 1);
        string path = context.Request.Path;
        string? originOrNull = origin.Length == 0 ? null : origin;
        Request(logger, context.Request.Method, path, status, duration, route.Kind, route.Identifier, originOrNull);
    }

    [LoggerMessage(EventId = 1, EventName = "Request", Level = LogLevel.Information, Message = "{Method} {Path} {Status} {Duration} ms ({Route} {Identifier}, {Origin})")]
    private static partial void Request(ILogger logger, string method, string path, int status, double duration, string route, string? identifier, string? origin);
}
