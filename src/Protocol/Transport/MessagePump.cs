using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Reader.Protocol.Transport;

/// <summary>Reads a transport's messages in order and hands each to a router; one bad message never stops the pump.</summary>
internal static class MessagePump
{
    public static async Task RunAsync(
        ChannelReader<MqttIncomingMessage> messages, Func<MqttIncomingMessage, CancellationToken, Task> route, ILogger logger, CancellationToken stop)
    {
        await foreach (MqttIncomingMessage message in messages.ReadAllAsync(stop))
        {
            try
            {
                await route(message, stop);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Handling a message on {Topic} failed", message.Topic);
            }
        }
    }
}

/// <summary>Raises an async event (<c>Func&lt;T, Task&gt;</c>): every handler awaited in turn, a failing one logged, not fatal.</summary>
internal static class AsyncEvent
{
    public static async Task RaiseAsync<T>(Func<T, Task>? handlers, T argument, ILogger logger)
    {
        if (handlers is null)
        {
            return;
        }

        foreach (Func<T, Task> handler in handlers.GetInvocationList().Cast<Func<T, Task>>())
        {
            try
            {
                await handler(argument);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "An event handler for {Event} failed", typeof(T).Name);
            }
        }
    }
}
