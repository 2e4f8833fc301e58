using Microsoft.Extensions.Logging;

namespace Tessera.Server.Hosting;

/// <summary>
/// The warning callback of parts built before the server's logging exists (the disk cache is made while services are
/// registered): written to the server's log once <see cref="TesseraServer.MapTessera"/> attaches it, to stderr before.
/// </summary>
internal sealed partial class StartupWarnings
{
    private volatile ILogger? _logger;

    public void Attach(ILoggerFactory loggers) => _logger = loggers.CreateLogger("Tessera.Server");

    public void Warn(string message)
    {
        if (_logger is { } logger)
        {
            Logged(logger, message);
        }
        else
        {
            Console.Error.WriteLine(message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Message}")]
    private static partial void Logged(ILogger logger, string message);
}
