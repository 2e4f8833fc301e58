using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Imaging.Sources;

namespace Tessera.Server.Http;

/// <summary>
/// Tells the client and the operator what a listing left out: a truncated listing (a bound reached) is marked with the
/// <see cref="TruncatedHeader"/> header, and both truncation and skipped entries (link loops, links out of the root,
/// unreadable folders) are logged as warnings, so a careless layout is seen rather than silently served half.
/// </summary>
public static partial class ListingReport
{
    /// <summary>The response header that says a listing was cut short, and why (the setting that raises the bound).</summary>
    public const string TruncatedHeader = "Tessera-Listing-Truncated";

    /// <summary>How many skipped entries one log line names; the rest are counted.</summary>
    private const int NamedSkips = 5;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listing for {Path} is truncated: {Reason}")]
    private static partial void Truncated(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listing for {Path} left out {Count} entries: {Entries}")]
    private static partial void Skipped(ILogger logger, string path, int count, string entries);

    /// <summary>Marks the response and logs, for the listing that answers <paramref name="context"/>'s request.</summary>
    public static void Report(HttpContext context, SourceListing listing)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(listing);
        if (listing.Truncated is { } reason)
        {
            context.Response.Headers[TruncatedHeader] = reason;
        }

        if ((listing.Truncated is null && listing.Skipped.Count == 0) || context.RequestServices.GetService<ILoggerFactory>() is not { } loggers)
        {
            return;
        }

        var logger = loggers.CreateLogger("Tessera.Server");
        var path = context.Request.Path.Value ?? "/";
        if (listing.Truncated is { } truncated)
        {
            Truncated(logger, path, truncated);
        }

        if (listing.Skipped.Count > 0)
        {
            var named = string.Join("; ", listing.Skipped.Take(NamedSkips));
            Skipped(logger, path, listing.Skipped.Count, listing.Skipped.Count > NamedSkips ? $"{named}; and {listing.Skipped.Count - NamedSkips} more" : named);
        }
    }
}
