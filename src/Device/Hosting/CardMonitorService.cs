using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Reader.Card.Pcsc;

namespace Reader.Device.Hosting;

/// <summary>
/// For now the whole service: watches the readers and logs card events with their CardEventId. The session
/// state machine will consume the same events later.
/// </summary>
internal sealed partial class CardMonitorService(ILoggerFactory loggers) : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger("Reader.Device.CardMonitor");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var monitor = new CardMonitor(logger: loggers.CreateLogger<CardMonitor>());
        monitor.Start();
        LogStarted(_logger);
        try
        {
            await foreach (var e in monitor.Events.ReadAllAsync(stoppingToken))
            {
                using var scope = _logger.BeginScope(new Dictionary<string, object> { ["CardEventId"] = e.InsertionId == 0 ? e.Id : e.InsertionId });
                LogEvent(_logger, e.Kind, e.Reader ?? "-");
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "card monitor started")]
    private static partial void LogStarted(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} {Reader}")]
    private static partial void LogEvent(ILogger logger, CardEventKind kind, string reader);
}
