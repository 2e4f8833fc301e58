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

    private static string Reason(int status) => status switch
    {
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
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
            if (error.Status >= 500)
            {
                Operations.SourceFailureLog.Report(httpContext, error);
            }

            var body = $"{error.Status} {Reason(error.Status)}: {error.Parameter}: {error.Message}\n";
            return Results.Text(body, "text/plain; charset=utf-8", statusCode: error.Status).ExecuteAsync(httpContext);
        }
    }
}
