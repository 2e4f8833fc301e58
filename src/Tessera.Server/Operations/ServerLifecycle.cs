using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Imaging.Caching;
using Tessera.Server.Hosting;

namespace Tessera.Server.Operations;

/// <summary>
/// Start and stop, for the operator and for rolling restarts: logs <c>Started</c>, <c>Stopping</c> and <c>Stopped</c>;
/// once the host has stopped (Kestrel has stopped accepting and the requests in flight have finished or met
/// <c>ShutdownTimeoutSeconds</c>) closes the disk cache, so its queued writes land whole and no temporary file is left.
/// </summary>
public static partial class ServerLifecycle
{
    public static void Watch(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Tessera.Server.Lifecycle");
        var options = app.Services.GetRequiredService<TesseraServerOptions>();
        var stopping = 0L;
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                var addresses = app.Services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
                var root = Imaging.Storage.RemoteSources.IsRemote(options.Root) ? options.Root : Path.GetFullPath(options.Root);
                var listening = string.Join(' ', addresses);
                Started(logger, root, listening);
            }
        });
        app.Lifetime.ApplicationStopping.Register(() =>
        {
            stopping = TimeProvider.System.GetTimestamp();
            Stopping(logger, options.ShutdownTimeoutSeconds);
        });
        app.Lifetime.ApplicationStopped.Register(() =>
        {
            app.Services.GetService<DiskDerivativeCache>()?.Dispose();
            app.Services.GetService<S3DerivativeCache>()?.Dispose();
            if (logger.IsEnabled(LogLevel.Information))
            {
                var duration = Math.Round(TimeProvider.System.GetElapsedTime(stopping).TotalMilliseconds);
                Stopped(logger, duration);
            }
        });
    }

    [LoggerMessage(EventId = 10, EventName = "Started", Level = LogLevel.Information, Message = "Serving {Root} at {Addresses}")]
    private static partial void Started(ILogger logger, string root, string addresses);

    [LoggerMessage(EventId = 11, EventName = "Stopping", Level = LogLevel.Information, Message = "Stopping: no new connections; requests in flight have {TimeoutSeconds} s to finish")]
    private static partial void Stopping(ILogger logger, int timeoutSeconds);

    [LoggerMessage(EventId = 12, EventName = "Stopped", Level = LogLevel.Information, Message = "Stopped after {Duration} ms; disk cache closed")]
    private static partial void Stopped(ILogger logger, double duration);
}
