using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Imaging.Sources;

namespace Tessera.Server.Http;

/// <summary>
/// Tells the client and the operator what a listing left out: a truncated listing (a bound reached) is marked with the
/// <see cref="TruncatedHeader"/> header, and both truncation and skipped entries (link loops, links out of the root,
/// unreadable folders) are logged as warnings, so a careless layout is seen rather than silently served half. One per
/// server (registered by <c>AddTessera</c>): the same report is logged once per <see cref="RepeatAfter"/>, not on every
/// page view.
/// </summary>
public sealed partial class ListingReport(ILoggerFactory loggers)
{
    /// <summary>The response header that says a listing was cut short, and why (the setting that raises the bound).</summary>
    public const string TruncatedHeader = "Tessera-Listing-Truncated";

    /// <summary>How many skipped entries one log line names; the rest are counted.</summary>
    private const int NamedSkips = 5;

    /// <summary>How long an unchanged report stays unlogged.</summary>
    public static readonly TimeSpan RepeatAfter = TimeSpan.FromMinutes(1);

    private readonly ILogger _logger = loggers.CreateLogger("Tessera.Server");
    private readonly Lock _lock = new();
    private string? _lastReport;
    private long _lastLogged;

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

        if (listing.Truncated is not null || listing.Skipped.Count > 0)
        {
            context.RequestServices.GetService<ListingReport>()?.Log(context.Request.Path.Value ?? "/", listing);
        }
    }

    private void Log(string path, SourceListing listing)
    {
        var report = listing.Truncated + "\n" + string.Join("\n", listing.Skipped);
        lock (_lock)
        {
            var now = Environment.TickCount64;
            if (report == _lastReport && now - _lastLogged < (long)RepeatAfter.TotalMilliseconds)
            {
                return;
            }

            (_lastReport, _lastLogged) = (report, now);
        }

        if (listing.Truncated is { } truncated)
        {
            Truncated(_logger, path, truncated);
        }

        if (listing.Skipped.Count > 0)
        {
            var named = string.Join("; ", listing.Skipped.Take(NamedSkips));
            Skipped(_logger, path, listing.Skipped.Count, listing.Skipped.Count > NamedSkips ? $"{named}; and {listing.Skipped.Count - NamedSkips} more" : named);
        }
    }
}
