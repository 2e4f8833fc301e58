using Microsoft.AspNetCore.Http;
using Tessera.Core.Iiif;

namespace Tessera.Server.Http;

/// <summary>The one place where an <see cref="IiifError"/> becomes an HTTP response: its status and a plain-text body naming the parameter.</summary>
public static class ErrorResults
{
    public static IResult From(IiifError error) =>
        Results.Text($"{error.Status} {Reason(error.Status)}: {error.Parameter}: {error.Message}\n", "text/plain; charset=utf-8", statusCode: error.Status);

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
}
