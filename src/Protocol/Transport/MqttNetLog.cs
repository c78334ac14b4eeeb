using System.Globalization;
using Microsoft.Extensions.Logging;
using MQTTnet.Diagnostics.Logger;

namespace Reader.Protocol.Transport;

/// <summary>
/// MQTTnet's warnings and errors into our log at Debug: what matters to an operator (connected, lost,
/// failed with a code, next attempt) is raised by the transport itself as connection events, so the
/// client's own account of a broken socket is detail. Its verbose packet trace is never forwarded.
/// </summary>
internal sealed class MqttNetLog(ILogger logger) : IMqttNetLogger
{
    public bool IsEnabled => logger.IsEnabled(LogLevel.Debug);

    public void Publish(MqttNetLogLevel level, string source, string message, object[] parameters, Exception exception)
    {
        if (level < MqttNetLogLevel.Warning || !logger.IsEnabled(LogLevel.Debug))
        {
            return;
        }

        string text = parameters is { Length: > 0 } ? string.Format(CultureInfo.InvariantCulture, message, parameters) : message;
        logger.LogDebug("MQTTnet {Source}: {Message}{Reason}", source, text, exception is null ? string.Empty : " (" + exception.Message + ")");
    }
}
