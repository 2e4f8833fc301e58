using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Core.Iiif;
using Tessera.Imaging.Pipeline;

namespace Tessera.Server.Operations;

/// <summary>
/// Logs a server-side failure (5xx, or a client status the operator must see: <see cref="IiifError.Warn"/>) for the operator, once per source file version rather than once per request: a
/// damaged master asked for by a viewer's hundred tiles is one line, and one more when the file is replaced (its
/// modification time or length changes). Failures that name no source (or none that resolves) are logged once per
/// identifier and status. The memory is bounded: past <see cref="Capacity"/> versions it starts afresh.
/// </summary>
public sealed partial class SourceFailureLog(ImagePipeline pipeline, ILoggerFactory loggers)
{
    /// <summary>Versions remembered before the memory is cleared (a repeat then logs once more).</summary>
    public const int Capacity = 10_000;

    private readonly ILogger _logger = loggers.CreateLogger("Tessera.Server.Failures");
    private readonly ConcurrentDictionary<string, byte> _logged = new(StringComparer.Ordinal);

    /// <summary>
    /// Logs <paramref name="error"/> for the request unless this source version's failure was already logged. Uses the
    /// application's <see cref="SourceFailureLog"/>; without one (a host that did not register it) logs every time.
    /// </summary>
    public static void Report(HttpContext context, IiifError error)
    {
        if (context.RequestServices.GetService<SourceFailureLog>() is { } log)
        {
            log.Log(context, error);
        }
        else if (context.RequestServices.GetService<ILoggerFactory>() is { } factory)
        {
            var route = RequestRoute.Of(context);
            SourceFailed(factory.CreateLogger("Tessera.Server.Failures"), error.Status, context.Request.Path, route.Identifier, route.Kind, error.Parameter, ForOperator(error), "unknown");
        }
    }

    /// <summary>Logs the failure when it is the first for its source version; true when it logged.</summary>
    public bool Log(HttpContext context, IiifError error)
    {
        var route = RequestRoute.Of(context);
        var version = VersionOf(route.Identifier);
        var key = $"{route.Identifier}\n{version}\n{(route.Identifier is null ? error.Status + error.Parameter + error.Message : string.Empty)}";
        if (_logged.Count >= Capacity)
        {
            _logged.Clear();
        }

        if (!_logged.TryAdd(key, 0))
        {
            return false;
        }

        SourceFailed(_logger, error.Status, context.Request.Path, route.Identifier, route.Kind, error.Parameter, ForOperator(error), version);
        return true;
    }

    /// <summary>The message with what only the operator may see (the file's path, the native text whole), when there is more.</summary>
    private static string ForOperator(IiifError error) => error.Detail is null ? error.Message : $"{error.Message} ({error.Detail})";

    /// <summary>The file version (modification time and length) of the identifier's source, or a word saying why there is none.</summary>
    private string VersionOf(string? identifier)
    {
        if (identifier is null)
        {
            return "none";
        }

        return pipeline.Catalog.Resolver.Resolve(identifier).TryGetValue(out var source, out _)
            ? source.Version
            : "unresolved";
    }

    [LoggerMessage(EventId = 500, EventName = "SourceFailed", Level = LogLevel.Warning, Message = "{Status} for {Path}: {Parameter}: {Detail} (identifier {Identifier}, route {Route}, version {Version}; logged once per file version)")]
    private static partial void SourceFailed(ILogger logger, int status, string path, string? identifier, string route, string parameter, string detail, string version);
}
